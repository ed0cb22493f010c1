"""``folio schema``: print a JSON Schema for editors (yaml-language-server) and other tools."""

from __future__ import annotations

import json

from repofolio.errors import FolioError


def run(kind: str) -> int:
    if kind == "project":
        from repofolio.metamodel import project_schema

        schema = project_schema()
    else:  # pragma: no cover - click.Choice guards this
        raise FolioError(f"unknown schema '{kind}'")
    print(json.dumps(schema, indent=2, ensure_ascii=False))
    return 0
