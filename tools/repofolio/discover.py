"""Find the repository's files and load the Portfolio model once.

Loading never raises on a bad file: it records a Diagnostic and keeps going. Folders are
walked with an explicit stack (1,200 nested folders make os.walk and rglob recurse too deep),
and symlinks that leave the repository are reported, never followed.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
from collections.abc import Iterable, Sequence
from pathlib import Path

from repofolio import frontmatter, markdown
from repofolio.config import Config
from repofolio.diagnostics import Diagnostic
from repofolio.files import walk_files
from repofolio.fsio import is_inside, read_text, rel
from repofolio.model import META_FIELDS, JournalEntry, Portfolio, Project, validate_meta
from repofolio.schema_errors import schema_findings
from repofolio.scope import journal_wanted, project_entries, projects_rel

DAY_FILE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})\.md$")


def load_portfolio(cfg: Config, only: Sequence[str | Path] = ()) -> Portfolio:
    """Read the projects (and journal) into a Portfolio; ``only`` limits it to those paths."""
    portfolio = Portfolio(cfg)
    entries, scope = project_entries(cfg, only, portfolio.load_diagnostics)
    portfolio.scope = scope
    portfolio.projects = load_projects(cfg, entries, portfolio.load_diagnostics)
    load_journal_of(portfolio, only)
    return portfolio


# Projects load a stage at a time over groups of STAGE_SIZE: every README of the group is
# read, then every front matter parsed, every one validated, every body parsed. Each
# stage's code and data stay in the processor's caches: 1,000 synthetic projects
# (bench/bench_check.py's corpus) load in 117 ms this way and in 137 ms one project at a
# time. FOLIO_LOAD_STAGE=1 loads them one at a time: the same projects and diagnostics, in
# the same order (tests/discover_test.py).
STAGE_SIZE = 32


def load_projects(
    cfg: Config, entries: Iterable[os.DirEntry[str]], diags: list[Diagnostic]
) -> list[Project]:
    projects = []
    base = projects_rel(cfg)
    size = _stage_size()
    group: list[tuple[Project | None, list[Diagnostic]]] = []
    for entry in entries:
        found: list[Diagnostic] = []  # the project's own, in the order one at a time gives
        project = _load_project(cfg, base, entry, found)
        if project is not None:
            projects.append(project)
        group.append((project, found))
        if len(group) >= size:
            _load_group(group, diags)
            group = []
    _load_group(group, diags)
    return projects


def _stage_size() -> int:
    value = os.environ.get("FOLIO_LOAD_STAGE", "")
    return max(1, int(value)) if value.isdigit() else STAGE_SIZE


def _load_group(
    group: list[tuple[Project | None, list[Diagnostic]]], diags: list[Diagnostic]
) -> None:
    """Parse the write-ups of a group of read projects, a stage at a time (STAGE_SIZE)."""
    read = [(p, found) for p, found in group if p is not None and p.text is not None]
    for project, found in read:
        _parse_front(project, found)
    for project, found in read:
        _validate(project, found)
    for project, _ in read:
        _parse_body(project)
    for _, found in group:
        diags.extend(found)


def load_journal_of(portfolio: Portfolio, only: Sequence[str | Path] = ()) -> None:
    """Load the journal into ``portfolio`` when it exists and ``only`` covers it."""
    cfg = portfolio.config
    journal_dir = cfg.root / cfg.journal.dir
    if journal_dir.is_dir() and (not only or journal_wanted(cfg, only)):
        portfolio.journal = load_journal(cfg, journal_dir, portfolio.load_diagnostics, only)


def _load_project(
    cfg: Config, base: str, entry: os.DirEntry[str], diags: list[Diagnostic]
) -> Project | None:
    root = cfg.root
    folder_rel = f"{base}/{entry.name}" if base else entry.name
    try:
        is_link = entry.is_symlink()
        if is_link and not is_inside(Path(entry.path), root.resolve()):
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
    readme = os.path.join(entry.path, "README.md")  # strings: 1,000 projects, no Path each
    project = Project(entry.name, Path(entry.path), folder_rel, f"{folder_rel}/README.md")
    try:
        st: os.stat_result | None = os.lstat(readme)
    except OSError:
        st = None  # read_text says why
    if st is not None and stat.S_ISLNK(st.st_mode):
        if not is_inside(Path(readme), root.resolve()):
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
        st = None  # a link inside the repository: read what it points to
    result = read_text(readme, st=st)
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
    return project  # its write-up is parsed with its group's (_load_group)


def _parse_front(project: Project, diags: list[Diagnostic]) -> None:
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


def _validate(project: Project, diags: list[Diagnostic]) -> None:
    fm = project.front
    if fm is None or fm.data is None or any(f.code == "FM007" for f in fm.findings):
        return
    from repofolio.pydcore import core

    try:
        project.meta = validate_meta(fm.data)
    except core().ValidationError as exc:
        for line, col, code, message in schema_findings(exc, fm, META_FIELDS):
            diags.append(Diagnostic(project.readme_rel, line, col, code, message))


def _parse_body(project: Project) -> None:
    assert project.front is not None
    project.doc = markdown.parse(project.front.body, project.front.body_line)


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
