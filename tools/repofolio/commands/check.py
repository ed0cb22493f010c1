"""``folio check``: load, run every enabled check, report. Never writes a file."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from repofolio.checks import all_checks
from repofolio.config import Config
from repofolio.diagnostics import Report
from repofolio.discover import load_portfolio
from repofolio.reporters import emit, summarize


def run(
    cfg: Config,
    paths: Sequence[Path],
    *,
    fmt: str = "text",
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    quiet: bool = False,
) -> int:
    portfolio = load_portfolio(cfg, only=paths)
    report = Report(list(portfolio.load_diagnostics))
    for check in all_checks():
        report.extend(check(portfolio, cfg))
    report.filter(select or cfg.select, (*cfg.ignore, *ignore))
    n = len(portfolio.projects)
    checked = f"{n} project{'s' if n != 1 else ''}"
    if portfolio.journal:
        checked += f", {len(portfolio.journal)} journal entries"
    emit(report, fmt, summary=summarize(report, checked), quiet=quiet)
    return report.exit_code
