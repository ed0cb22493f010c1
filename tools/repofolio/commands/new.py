"""``folio new SLUG``: scaffold ``projects/SLUG/`` from a Jinja2 template; never overwrites."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import click

from repofolio.checks.project import is_slug
from repofolio.config import Config
from repofolio.errors import FolioError
from repofolio.fsio import rel, write_if_changed

SCHEMA_FILE = "schemas/project.schema.json"


def validate_slug(slug: str) -> str:
    if not slug or "/" in slug or "\\" in slug or ".." in slug or slug.startswith("-"):
        raise FolioError(f"invalid slug '{slug}': use a folder name like 'churn-model'")
    if not is_slug(slug):
        raise FolioError(
            f"invalid slug '{slug}': use lowercase letters, digits and single hyphens "
            "(like 'churn-model')"
        )
    return slug


def render_readme(title: str, schema_path: str, today: dt.date) -> str:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(
        loader=PackageLoader("repofolio", "templates"),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,  # Markdown, not HTML
    )
    env.policies["json.dumps_kwargs"] = {"ensure_ascii": False}
    return env.get_template("project/README.md.j2").render(
        title=title, schema_path=schema_path, today=today.isoformat()
    )


def write_schema(cfg: Config) -> Path:
    from repofolio.metamodel import project_schema

    path = cfg.root / SCHEMA_FILE
    new = json.dumps(project_schema(), indent=2, ensure_ascii=False) + "\n"
    old = path.read_text(encoding="utf-8") if path.is_file() else None
    write_if_changed(path, new, old)
    return path


def run(cfg: Config, slug: str, title: str | None, today: dt.date | None = None) -> int:
    validate_slug(slug)
    folder = cfg.projects_path / slug
    if os.path.lexists(folder):
        raise FolioError(f"{rel(folder, cfg.root)} already exists; nothing was written")
    title = title or slug.replace("-", " ").title()
    schema = write_schema(cfg)
    schema_rel = os.path.relpath(schema, folder).replace(os.sep, "/")
    text = render_readme(title, schema_rel, today or dt.date.today())
    folder.mkdir(parents=True)
    write_if_changed(folder / "README.md", text)
    readme_rel = rel(folder / "README.md", cfg.root)
    click.echo(f"Created {readme_rel}", err=True)
    click.echo(
        f"Next: replace every 'FILL IN' in {readme_rel}, add code or notebooks beside it, "
        f"then run 'folio check {rel(folder, cfg.root)}'.",
        err=True,
    )
    return 0
