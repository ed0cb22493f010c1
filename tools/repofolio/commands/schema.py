"""``folio schema``: the JSON Schemas of the front matter and of ``cv.yaml``, written one way.

Editors with yaml-language-server use them; ``folio new`` and ``folio github import`` keep
``schemas/project.schema.json`` current beside the write-ups that point at it.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from repofolio.config import Config
from repofolio.errors import FolioError
from repofolio.fsio import write_if_changed

SCHEMAS = ("project", "cv")
PROJECT_SCHEMA_FILE = "schemas/project.schema.json"


def schema_text(name: str) -> str:
    """The JSON Schema ``name`` (project or cv) as the file holds it."""
    if name == "project":
        from repofolio.metamodel import project_schema as schema
    elif name == "cv":
        from repofolio.resume.model import cv_schema as schema
    else:  # pragma: no cover - click.Choice guards this
        raise FolioError(f"unknown schema '{name}'; schemas: {', '.join(SCHEMAS)}")
    return json.dumps(schema(), indent=2, ensure_ascii=False) + "\n"


def write_schema(path: Path, name: str) -> bool:
    """Write schema ``name`` to ``path`` (atomically, only when it changed)."""
    old = path.read_text(encoding="utf-8") if path.is_file() else None
    return write_if_changed(path, schema_text(name), old)


def write_project_schema(cfg: Config) -> Path:
    """``schemas/project.schema.json`` of the portfolio, current."""
    path = cfg.root / PROJECT_SCHEMA_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    write_schema(path, "project")
    return path


def run(name: str, output: Path | None = None) -> int:
    if output is None:
        click.echo(schema_text(name), nl=False)
        return 0
    write_schema(output, name)
    click.echo(f"Wrote {output}", err=True)
    return 0
