"""Find the repository's files and load the Portfolio model once.

Loading never raises on a bad file: it records a Diagnostic and keeps going. Folders are
walked with an explicit stack (1,200 nested folders make os.walk and rglob recurse too deep),
and symlinks that leave the repository are reported, never followed.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from pydantic import ValidationError

from repofolio import frontmatter, markdown
from repofolio.config import Config
from repofolio.diagnostics import Diagnostic
from repofolio.files import walk_files
from repofolio.fsio import is_inside, read_text, rel
from repofolio.model import JournalEntry, Portfolio, Project, ProjectMeta
from repofolio.schema_errors import schema_findings

DAY_FILE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})\.md$")


def load_portfolio(cfg: Config, only: Sequence[str | Path] = ()) -> Portfolio:
    """Read the projects (and journal) into a Portfolio; ``only`` limits it to those paths."""
    portfolio = Portfolio(cfg)
    root = cfg.root
    wanted = _wanted_slugs(cfg, only)
    projects_dir = cfg.projects_path
    diags = portfolio.load_diagnostics
    if projects_dir.is_dir():
        try:
            entries = sorted(os.scandir(projects_dir), key=lambda e: e.name)
        except OSError as exc:
            diags.append(
                Diagnostic(
                    cfg.projects_dir,
                    0,
                    0,
                    "PR002",
                    f"cannot list the projects folder: {exc.strerror}",
                )
            )
            entries = []
        for entry in entries:
            if entry.name.startswith(".") or (wanted is not None and entry.name not in wanted):
                continue
            project = _load_project(cfg, entry, diags)
            if project is not None:
                portfolio.projects.append(project)
    journal_dir = root / cfg.journal.dir
    if journal_dir.is_dir() and (wanted is None or _journal_wanted(cfg, only)):
        portfolio.journal = load_journal(cfg, journal_dir, diags, only)
    return portfolio


def _wanted_slugs(cfg: Config, only: Sequence[str | Path]) -> set[str] | None:
    if not only:
        return None
    slugs: set[str] = set()
    base = cfg.projects_path.resolve()
    for item in only:
        path = Path(item)
        path = (Path.cwd() / path) if not path.is_absolute() else path
        try:
            parts = path.resolve().relative_to(base).parts
        except (ValueError, OSError, RuntimeError):
            parts = ()
            try:  # the projects folder itself, or the repository root: everything
                if base.is_relative_to(path.resolve()):
                    return None
            except (OSError, RuntimeError):
                pass
        if parts:
            slugs.add(parts[0])
    return slugs


def _journal_wanted(cfg: Config, only: Sequence[str | Path]) -> bool:
    base = (cfg.root / cfg.journal.dir).resolve()
    for item in only:
        path = Path(item).resolve()
        if path == base or base in path.parents or base.is_relative_to(path):
            return True
    return False


def _load_project(cfg: Config, entry: os.DirEntry[str], diags: list[Diagnostic]) -> Project | None:
    root = cfg.root
    folder = Path(entry.path)
    folder_rel = rel(folder, root)
    try:
        is_link = entry.is_symlink()
        if is_link and not is_inside(folder, root.resolve()):
            diags.append(
                Diagnostic(
                    folder_rel,
                    0,
                    0,
                    "PR006",
                    "symlink leaves the repository (or loops); not followed",
                )
            )
            return None
        if not entry.is_dir():
            return None  # a file beside the projects (projects/README.md) is not a project
    except OSError:
        diags.append(Diagnostic(folder_rel, 0, 0, "PR006", "symlink loops; not followed"))
        return None
    readme = folder / "README.md"
    project = Project(entry.name, folder, folder_rel, f"{folder_rel}/README.md")
    if readme.is_symlink() and not is_inside(readme, root.resolve()):
        diags.append(
            Diagnostic(
                project.readme_rel,
                0,
                0,
                "PR006",
                "symlink leaves the repository (or loops); not followed",
            )
        )
        return project
    result = read_text(readme)
    if result.text is None:
        code = {"RD001": "PR001", "RD002": "PR002", "RD003": "PR003"}.get(
            result.code or "", "PR002"
        )
        message = (
            "README.md is missing: every project needs one"
            if code == "PR001"
            else f"README.md {result.problem}"
            if code == "PR002"
            else result.problem or ""
        )
        diags.append(
            Diagnostic(project.readme_rel, result.line, 1 if result.line else 0, code, message)
        )
        return project
    project.text = result.text
    project.has_bom = result.has_bom
    load_writeup(project, diags)
    return project


def load_writeup(project: Project, diags: list[Diagnostic]) -> None:
    """Parse front matter (validated) and Markdown of an already read README."""
    assert project.text is not None
    path = project.readme_rel
    fm = frontmatter.parse(project.text)
    project.front = fm
    for f in fm.findings:
        diags.append(Diagnostic(path, f.line, f.col, f.code, f.message))
    if not fm.present:
        diags.append(
            Diagnostic(
                path,
                1,
                1,
                "FM001",
                "front matter is missing: start the README with '---', "
                "the project's keys, and '---'",
            )
        )
    elif fm.data is not None and not any(f.code == "FM007" for f in fm.findings):
        try:
            project.meta = ProjectMeta.model_validate(fm.data)
        except ValidationError as exc:
            for line, col, code, message in schema_findings(exc, fm, ProjectMeta):
                diags.append(Diagnostic(path, line, col, code, message))
    project.doc = markdown.parse(fm.body, fm.body_line)


def load_journal(
    cfg: Config, journal_dir: Path, diags: list[Diagnostic], only: Iterable[str | Path] = ()
) -> list[JournalEntry]:
    entries: list[JournalEntry] = []
    root = cfg.root
    only_set = {Path(p).resolve() for p in only} if only else None
    for rel_path in walk_files(journal_dir):
        if not rel_path.endswith(".md"):
            continue
        path = journal_dir / rel_path
        if (
            only_set is not None
            and path.resolve() not in only_set
            and not any(o in path.resolve().parents for o in only_set)
        ):
            continue
        path_rel = rel(path, root)
        if path.is_symlink() and not is_inside(path, root.resolve()):
            diags.append(
                Diagnostic(
                    path_rel,
                    0,
                    0,
                    "PR006",
                    "symlink leaves the repository (or loops); not followed",
                )
            )
            continue
        match = DAY_FILE.match(path.name)
        day = None
        if match:
            try:
                day = dt.date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                day = None
        entry = JournalEntry(path, path_rel, day)
        result = read_text(path)
        if result.text is None:
            diags.append(
                Diagnostic(
                    path_rel,
                    result.line,
                    0,
                    "JR001",
                    f"cannot read journal entry: {result.problem}",
                )
            )
            entries.append(entry)
            continue
        entry.text = result.text
        fm = frontmatter.parse(result.text)
        entry.front = fm
        for f in fm.findings:
            diags.append(Diagnostic(path_rel, f.line, f.col, f.code, f.message))
        entry.data = fm.data or {}
        entries.append(entry)
    entries.sort(key=lambda e: (e.day or dt.date.min, e.rel))
    return entries
