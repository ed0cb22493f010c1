"""``folio check``: load, run every enabled check, report. Never writes a file.

Many projects are split into small contiguous chunks that forked processes take as they go
(each project is loaded and checked once, in one process); what spans projects (duplicate
titles) and the journal are checked in the parent from what the chunks send back, in project
order. Each chunk lists only its own projects' files.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from repofolio import parallel
from repofolio.config import Config
from repofolio.diagnostics import Diagnostic, Report
from repofolio.model import Portfolio
from repofolio.reporters import emit, summarize
from repofolio.scope import folders_of, project_entries, projects_rel

if TYPE_CHECKING:
    from repofolio.checks.pipeline import TrackedStore

# Below this many projects a slice costs more to fork than it saves.
PROJECTS_PER_JOB = 150
CHUNKS_PER_JOB = 8


@dataclass
class SliceResult:
    """What one slice of projects sends back: diagnostics, titles, how many projects."""

    diagnostics: list[Diagnostic]
    titles: list[tuple[str, str, int]]  # for duplicate titles across slices
    projects: int


def run(
    cfg: Config,
    paths: Sequence[Path],
    *,
    fmt: str = "text",
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    quiet: bool = False,
    jobs: int | None = None,
    strict: bool = False,
) -> int:
    with parallel.paused_gc():
        report, checked = check_portfolio(cfg, paths, jobs=jobs)
    report.filter(select or cfg.select, (*cfg.ignore, *ignore))
    summary = summarize(report, checked)
    failing = strict and report.exit_code == 0 and report.warnings > 0
    if failing:
        summary = summary[:-1] + " (--strict: warnings fail)."
    emit(report, fmt, summary=summary, quiet=quiet)
    return 1 if failing else report.exit_code


def check_portfolio(
    cfg: Config, paths: Sequence[str | Path] = (), *, jobs: int | None = None
) -> tuple[Report, str]:
    """Every check on the portfolio (or the projects under ``paths``): the report, and what
    was checked ("3 projects, 15 journal entries")."""
    from repofolio.checks.pipeline import TrackedStore

    store = TrackedStore(cfg)  # git lists the store's files while the checks import
    try:
        return _check_portfolio(cfg, paths, jobs, store)
    finally:
        store.close()  # git reaped, when an error came before its answer was read


def _check_portfolio(
    cfg: Config, paths: Sequence[str | Path], jobs: int | None, store: TrackedStore
) -> tuple[Report, str]:
    diagnostics: list[Diagnostic] = []
    entries, scope = project_entries(cfg, paths, diagnostics)
    report = Report(diagnostics)
    n_jobs = parallel.job_count(len(entries), PROJECTS_PER_JOB, cfg.jobs if jobs is None else jobs)
    # every project: list the projects folder (not docs/, tools/...); else what PATH chose
    base = projects_rel(cfg)
    listed = scope or ((base,) if base else ())
    in_git = (cfg.root / ".git").exists()
    files: Portfolio | None = None
    if n_jobs == 1 or in_git:
        # one `git ls-files` for every slice, started now: git lists while the checks
        # import, and slices forked later share its answer (a git process per chunk cost
        # 16 processes on 1,000 projects: 200 ms of CPU against 21 ms for one); without
        # git, slices walk their own folders, side by side
        files = Portfolio(cfg, scope=listed)
        files.start_listing()
    if n_jobs > 1:
        _import_checks()  # once, before forking: the slices share the loaded modules
        if files is not None:
            files.group_files()
        # one process a slice: the notebook cleaner must not fork again inside a child
        slice_cfg = replace(cfg, clean=replace(cfg.clean, jobs=1))
        # small chunks taken as the processes go: a slower process takes fewer
        chunks = parallel.split(entries, min(n_jobs * CHUNKS_PER_JOB, len(entries)))
        results = parallel.fork_pool(partial(_check_slice, slice_cfg, files), chunks, n_jobs)
    else:
        results = [_check_slice(cfg, files, entries, listed)]
    titles: list[tuple[str, str, int]] = []
    projects = 0
    for result in results:
        report.extend(result.diagnostics)
        titles.extend(result.titles)
        projects += result.projects
    from repofolio.checks import across_projects
    from repofolio.discover import load_journal_of

    portfolio = Portfolio(cfg)  # the journal's: the projects were checked in the slices
    load_journal_of(portfolio, paths)
    report.extend(portfolio.load_diagnostics)  # unreadable entries, symlinks out
    report.extend(across_projects(titles, portfolio, cfg, paths, store))
    checked = f"{projects} project{'s' if projects != 1 else ''}"
    if portfolio.journal:
        n = len(portfolio.journal)
        checked += f", {n} journal {'entry' if n == 1 else 'entries'}"
    return report, checked


def _import_checks() -> None:
    """Import what every slice runs, and build the front matter validator. Forked after this,
    the children share them; forked before, each imported them again (side by side on idle
    cores, but twice the CPU, which a busy machine makes slower)."""
    from repofolio.checks import journal, project_checks  # noqa: F401
    from repofolio.clean import engine  # noqa: F401
    from repofolio.discover import load_projects  # noqa: F401
    from repofolio.model import meta_validator

    project_checks()
    meta_validator()


def _check_slice(
    cfg: Config,
    files: Portfolio | None,
    entries: Sequence[os.DirEntry[str]],
    listed: tuple[str, ...] | None = None,
) -> SliceResult:
    """Load and check some of the projects (in a child process, or in the parent).

    ``files``: a portfolio whose files are listed already (by the parent, for every slice).
    Else ``listed`` is the repo-relative folders whose files the checks see; None: the
    slice's own project folders.
    """
    from repofolio.checks import content, project_checks
    from repofolio.discover import load_projects

    scope = folders_of(cfg, entries) if listed is None else listed
    portfolio = Portfolio(cfg, scope=scope)
    if files is not None:
        portfolio.share_files(files)
    portfolio.projects = load_projects(cfg, entries, portfolio.load_diagnostics)
    diagnostics = list(portfolio.load_diagnostics)
    for check in project_checks():
        diagnostics.extend(check(portfolio, cfg))
    return SliceResult(diagnostics, content.title_refs(portfolio), len(portfolio.projects))
