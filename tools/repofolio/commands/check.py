"""``folio check``: load, run every enabled check, report. Never writes a file.

Many projects are split into contiguous slices checked in forked processes (each project
is loaded and checked once, in one process); what spans projects (duplicate titles) and the
journal are checked in the parent from what the slices send back.
"""

from __future__ import annotations

import gc
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import partial
from os import DirEntry
from pathlib import Path

from repofolio import parallel
from repofolio.checks import content, journal, project_checks
from repofolio.config import Config
from repofolio.diagnostics import Diagnostic, Report
from repofolio.discover import load_journal_of, load_projects, project_entries
from repofolio.model import Portfolio
from repofolio.reporters import emit, summarize

# Below this many projects a slice costs more to fork than it saves.
PROJECTS_PER_JOB = 150


@dataclass
class SliceResult:
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
) -> int:
    # A short run whose objects all live until the report: the cyclic collector would only
    # rescan them (15% of a 1,000-project check). Reference counting still frees the rest.
    collecting = gc.isenabled()
    gc.disable()
    try:
        report, checked = check_portfolio(cfg, paths, jobs=jobs)
    finally:
        if collecting:
            gc.enable()
    report.filter(select or cfg.select, (*cfg.ignore, *ignore))
    emit(report, fmt, summary=summarize(report, checked), quiet=quiet)
    return report.exit_code


def check_portfolio(
    cfg: Config, paths: Sequence[str | Path] = (), *, jobs: int | None = None
) -> tuple[Report, str]:
    """Every check on the portfolio (or the projects under ``paths``): the report, and what
    was checked ("3 projects, 15 journal entries")."""
    portfolio = Portfolio(cfg)
    entries, portfolio.scope = project_entries(cfg, paths, portfolio.load_diagnostics)
    report = Report(list(portfolio.load_diagnostics))
    n_jobs = parallel.job_count(len(entries), PROJECTS_PER_JOB, cfg.jobs if jobs is None else jobs)
    if n_jobs > 1:
        files = portfolio.files()  # list the repository once, before forking: slices share it
        if any(name.endswith(".ipynb") for name in files):
            from repofolio.clean import notebook

            notebook.warm_validator()  # compiled once here, not once in every slice
        # one process a slice: the notebook cleaner must not fork again inside a child
        slice_cfg = replace(cfg, clean=replace(cfg.clean, jobs=1))
        slices = parallel.split(entries, n_jobs)
        results = parallel.fork_map(partial(_check_slice, slice_cfg, portfolio), slices)
    else:
        results = [_check_slice(cfg, portfolio, entries)]
    titles: list[tuple[str, str, int]] = []
    projects = 0
    for result in results:
        report.extend(result.diagnostics)
        titles.extend(result.titles)
        projects += result.projects
    report.extend(content.duplicate_titles(titles))
    loaded = len(portfolio.load_diagnostics)
    load_journal_of(portfolio, paths)
    report.extend(portfolio.load_diagnostics[loaded:])  # unreadable entries, symlinks out
    if portfolio.journal:
        report.extend(journal.check(portfolio, cfg))
    checked = f"{projects} project{'s' if projects != 1 else ''}"
    if portfolio.journal:
        checked += f", {len(portfolio.journal)} journal entries"
    return report, checked


def _check_slice(cfg: Config, shared: Portfolio, entries: Sequence[DirEntry[str]]) -> SliceResult:
    """Load and check some of the projects (in a child process, or in the parent)."""
    portfolio = Portfolio(cfg, scope=shared.scope)
    portfolio._files = shared._files  # the listing made before forking, if any
    portfolio.projects = load_projects(cfg, entries, portfolio.load_diagnostics)
    diagnostics = list(portfolio.load_diagnostics)
    for check in project_checks():
        diagnostics.extend(check(portfolio, cfg))
    return SliceResult(diagnostics, content.title_refs(portfolio), len(portfolio.projects))
