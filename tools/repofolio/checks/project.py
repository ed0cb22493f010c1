"""Project folders: slugs and README encoding."""

from __future__ import annotations

import re
from collections.abc import Iterator

from repofolio.config import Config
from repofolio.diagnostics import Diagnostic
from repofolio.model import Portfolio

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def is_slug(name: str) -> bool:
    return bool(SLUG.match(name)) and len(name) <= 64


def check(portfolio: Portfolio, config: Config) -> Iterator[Diagnostic]:
    for project in portfolio.projects:
        if not is_slug(project.slug):
            yield Diagnostic(
                project.rel,
                0,
                0,
                "PR004",
                f"folder name '{project.slug}' is not a kebab-case slug "
                "(lowercase letters, digits and single hyphens, at most 64)",
            )
        if project.has_bom:
            yield Diagnostic(
                project.readme_rel,
                1,
                1,
                "PR005",
                "file starts with a UTF-8 byte order mark; save it without one",
                "warning",
            )
