"""``folio init [DIR]``: add the portfolio layout to an existing repository.

Writes only files that do not exist yet: an existing file (or a symlink, even a dangling one)
is never opened for writing, and is reported as skipped. The config goes to ``folio.toml``
whenever ``pyproject.toml`` exists, so not even ``pyproject.toml`` is edited.

What it can learn, it fills in: the site and repository URLs from the ``origin`` remote, the
owner and headline from the flags, what the workflows install from how this folio was
installed (PEP 610 ``direct_url.json``). What it cannot, it leaves out of what is published:
the example project is a draft, the starter ``cv.yaml`` too.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import click

from repofolio import __version__
from repofolio.checks.published import HOME_STAND_IN
from repofolio.errors import FolioError
from repofolio.fsio import is_inside, write_if_changed
from repofolio.installed import Requirement, toolkit_requirement

EXAMPLE_SLUG = "example-project"
CV_SCHEMA = "schemas/cv.schema.json"


@dataclass(frozen=True)
class Planned:
    """One file of the layout: where it goes and its text."""

    path: str  # repo-relative, POSIX
    text: str
    why: str  # shown next to the path


@dataclass
class Outcome:
    written: list[str]
    skipped: list[tuple[str, str]]  # path, reason


@dataclass(frozen=True)
class Settings:
    owner: str
    headline: str | None = None
    site_url: str | None = None
    repo_url: str | None = None
    toolkit: str = f"repofolio>={__version__}"
    today: str = ""
    github_user: str | None = None  # the owner of a github.com origin: the CV's link


def _environment() -> object:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(
        loader=PackageLoader("repofolio", "templates/init"),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,  # YAML, TOML and Markdown, not HTML
    )
    # tojson as a plain JSON string, which YAML and TOML read alike: jinja's escapes ' & < >
    # for HTML (`owner = "Priya O\u0027Brien"`), unreadable in files the user edits by hand
    env.filters["tojson"] = functools.partial(json.dumps, ensure_ascii=False)
    return env


def _raw(name: str) -> str:
    from importlib.resources import files

    return (files("repofolio") / "templates" / "init" / name).read_text(encoding="utf-8")


def _cv_schema() -> str:
    from repofolio.resume.model import cv_schema

    return json.dumps(cv_schema(), indent=2, ensure_ascii=False) + "\n"


def has_folio_table(pyproject: Path) -> bool:
    import sys

    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on 3.10 only
        import tomli as tomllib
    try:
        with pyproject.open("rb") as fh:
            data = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError):
        return "[tool.folio" in pyproject.read_text(encoding="utf-8", errors="replace")
    tool = data.get("tool")
    return isinstance(tool, dict) and "folio" in tool


def plan(root: Path, settings: Settings) -> list[Planned]:
    """Every file of the layout, in the order they are reported."""
    env = _environment()
    context = {
        "owner": settings.owner,
        "headline": settings.headline,
        "site_name": f"{settings.owner}: portfolio",
        "site_url": settings.site_url,
        "repo_url": settings.repo_url,
        "toolkit": settings.toolkit,
        "today": settings.today,
        "github_user": settings.github_user,
        "home_stand_in": HOME_STAND_IN,  # PU004 reports it until the owner rewrites it
    }

    def render(name: str) -> str:
        return env.get_template(name).render(**context)  # type: ignore[attr-defined, no-any-return]

    files: list[Planned] = []
    if (root / "pyproject.toml").is_file() and has_folio_table(root / "pyproject.toml"):
        pass  # [tool.folio] is there already: no second config beside it
    else:
        files.append(Planned("folio.toml", render("folio.toml.j2"), "settings"))
    files += [
        Planned("mkdocs.yml", render("mkdocs.yml.j2"), "the site"),
        Planned("docs/index.md", render("docs-index.md.j2"), "the home page"),
        Planned("docs/journal/index.md", render("journal-index.md.j2"), "the journal's page"),
        Planned(
            f"projects/{EXAMPLE_SLUG}/README.md",
            render("example-project.md.j2"),
            "an example write-up",
        ),
        Planned("README.md", render("README.md.j2"), "the project index"),
        Planned("cv.yaml", render("cv.yaml.j2"), "a starter CV, a draft until you fill it in"),
        Planned(CV_SCHEMA, _cv_schema(), "editor completion for cv.yaml"),
        Planned(".pre-commit-config.yaml", _raw("pre-commit-config.yaml"), "pre-commit hooks"),
        Planned(".github/workflows/ci.yml", _raw("workflows/ci.yml"), "checks on every push"),
        Planned(
            ".github/workflows/publish.yml",
            _raw("workflows/publish.yml"),
            "site and README on push to main",
        ),
        Planned("requirements-folio.txt", render("requirements-folio.txt.j2"), "what CI installs"),
        Planned(".gitignore", _raw("gitignore"), "site/, dist/ and caches"),
    ]
    return files


def _blocked(root: Path, rel: str) -> str | None:
    """Why ``rel`` must not be written, or None. Never follows a symlink out of ``root``."""
    path = root / rel
    if os.path.lexists(path):
        return "symlink" if path.is_symlink() else "exists"
    parent = path.parent
    # The nearest existing folder on the way must be a real folder inside the repository.
    while not os.path.lexists(parent):
        parent = parent.parent
    if not parent.is_dir():
        return f"{parent.relative_to(root).as_posix()} is not a folder"
    if not is_inside(parent, root):
        return "outside the repository (a symlinked folder)"
    return None


def apply(root: Path, files: list[Planned], *, check: bool) -> Outcome:
    outcome = Outcome([], [])
    for item in files:
        reason = _blocked(root, item.path)
        if reason is not None:
            outcome.skipped.append((item.path, reason))
            continue
        if not check:
            path = root / item.path
            path.parent.mkdir(parents=True, exist_ok=True)
            write_if_changed(path, item.text)
        outcome.written.append(item.path)
    return outcome


def _git_user(root: Path) -> str | None:
    from repofolio.remotes import git_output

    return git_output(root, "config", "user.name") or None


def _configured_owner(root: Path) -> str | None:
    """The owner of a [tool.folio] or folio.toml already there (a bad one raises FolioError)."""
    from repofolio.config import load_config

    cfg = load_config(root)
    return cfg.owner if cfg.source is not None else None


def _refresh_index(root: Path) -> None:
    """Fill the regions of the README just written, so `folio index --check` passes at once."""
    from repofolio.config import load_config
    from repofolio.discover import load_portfolio
    from repofolio.render.readme_index import regenerate_readme

    cfg = load_config(root)
    path = root / "README.md"
    old = path.read_text(encoding="utf-8")
    write_if_changed(path, regenerate_readme(old, load_portfolio(cfg), cfg, "README.md"), old)


class Urls(NamedTuple):
    site_url: str | None
    repo_url: str | None
    github_user: str | None
    said: str  # where they came from, for the output


def derive_urls(root: Path, site_url: str | None, repo_url: str | None) -> Urls:
    """site-url and repo-url: the flags, else from a github.com ``origin`` remote."""
    from repofolio.remotes import origin_url, pages_url, parse

    origin = origin_url(root)
    remote = parse(origin) if origin else None
    github = remote if remote is not None and remote.on_github else None
    user = github.owner if github else None
    if site_url and repo_url:
        return Urls(site_url, repo_url, user, "")
    if github is None:
        why = (
            "no 'origin' remote"
            if origin is None
            else f"the 'origin' remote ({origin}) is not a github.com repository"
        )
        missing = " and ".join(
            name for name, value in (("site-url", site_url), ("repo-url", repo_url)) if not value
        )
        return Urls(
            site_url,
            repo_url,
            user,
            f"{why}: {missing} left out; add them to the config (or pass --site-url, "
            "--repo-url) once the repository is on GitHub",
        )
    derived = []
    if not site_url:
        site_url = pages_url(github.owner, github.name)
        derived.append(f"site-url {site_url}")
    if not repo_url:
        repo_url = github.web_url
        derived.append(f"repo-url {repo_url}")
    return Urls(site_url, repo_url, user, f"{' and '.join(derived)} (from the 'origin' remote)")


def next_steps(outcome: Outcome) -> list[str]:
    steps = []
    if f"projects/{EXAMPLE_SLUG}/README.md" in outcome.written:
        steps.append(
            f"Write your projects: 'folio new SLUG' scaffolds projects/SLUG/README.md, or "
            "writes it from what a folder you copied there already holds (code, notebooks, "
            "requirements.txt); 'folio github import OWNER/REPO' starts from a repository. "
            f"projects/{EXAMPLE_SLUG}/ shows every part of a write-up; it is a draft "
            "(never published): delete it when you have your own."
        )
    if "docs/index.md" in outcome.written:
        steps.append(
            "Say who you are on the home page: docs/index.md's text under your headline is "
            "a stand-in; write a few lines on what you do and the roles you want."
        )
    steps.append(
        "Check everything that is published: 'folio check' (placeholders, secrets, broken "
        "links); preview the site: 'folio serve'."
    )
    if "cv.yaml" in outcome.written:
        steps.append(
            "Fill in cv.yaml, then delete its 'draft: true' line: the site gets a CV page and "
            "'folio resume build --job posting.txt' a resume for each job."
        )
    skipped = dict(outcome.skipped)
    if "README.md" in skipped:
        steps.append(
            "Add the index regions to your README.md: a line '<!-- folio:projects:start -->' "
            "and a line '<!-- folio:projects:end -->' (and the same for 'journal'), "
            "then 'folio index'."
        )
    if ".gitignore" in skipped:
        steps.append("Add 'site/', 'dist/' and '.folio-cache/' to your .gitignore.")
    steps.append("Install the hooks: 'pip install pre-commit && pre-commit install'.")
    steps.append(
        "On GitHub: Settings > Pages > Source: 'GitHub Actions'; then commit and push to main "
        "(the Publish workflow builds the site and keeps README.md's index current)."
    )
    return steps


def run(
    target: Path,
    *,
    owner: str | None = None,
    headline: str | None = None,
    site_url: str | None = None,
    repo_url: str | None = None,
    toolkit: str | None = None,
    check: bool = False,
    today: dt.date | None = None,
    echo: Callable[[str], None] | None = None,
) -> int:
    say = echo or (lambda line: click.echo(line, err=True))
    if not target.exists():
        raise FolioError(f"{target}: no such folder; create it (and 'git init' it) first")
    if not target.is_dir():
        raise FolioError(f"{target}: not a folder")
    root = target.resolve()
    urls = derive_urls(root, site_url, repo_url)
    if toolkit:
        requirement = Requirement(toolkit, "as --toolkit says")
    else:
        requirement = toolkit_requirement()
    settings = Settings(
        owner=owner or _configured_owner(root) or _git_user(root) or "Portfolio owner",
        headline=headline,
        site_url=urls.site_url,
        repo_url=urls.repo_url,
        toolkit=requirement.spec,
        today=(today or dt.date.today()).isoformat(),
        github_user=urls.github_user,
    )
    files = plan(root, settings)
    why = {item.path: item.why for item in files}
    outcome = apply(root, files, check=check)
    if not check and "README.md" in outcome.written:
        _refresh_index(root)
    verb = "Would create" if check else "Created"
    for rel in outcome.written:
        say(f"{verb} {rel}  ({why[rel]})")
    for rel, reason in outcome.skipped:
        say(f"Skipped {rel}  ({reason}; left as it is)")
    if urls.said and any(rel in outcome.written for rel in ("folio.toml", "mkdocs.yml")):
        say(f"URLs: {urls.said}.")
    if "requirements-folio.txt" in outcome.written:
        say(f"requirements-folio.txt: {requirement.spec} ({requirement.why}).")
    if check:
        return 1 if outcome.written else 0
    if not outcome.written:
        say("Nothing to do: every file of the layout is there already.")
        return 0
    say("")
    say("Next steps:")
    for number, step in enumerate(next_steps(outcome), start=1):
        say(f"  {number}. {step}")
    if not (root / ".git").exists():
        say("  This folder is not a git repository yet: 'git init -b main'.")
    return 0
