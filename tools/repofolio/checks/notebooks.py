"""Notebooks, secrets and personal paths: what ``folio clean`` would fix or refuse, reported.

CI runs ``folio check``; this catches what a skipped pre-commit run let through. It shares
``folio clean``'s pipeline in check mode without ruff (formatting is for the hook, not the
gate), so it costs a regex search per file and, only when the portfolio has notebooks, the
nbformat import and one validation each. detect-secrets loads only on a suspicious line.
"""

from __future__ import annotations

from collections.abc import Iterable

from repofolio.config import Config
from repofolio.diagnostics import Diagnostic
from repofolio.model import Portfolio

FAMILIES = ("NB", "SE", "PA")


def check(portfolio: Portfolio, cfg: Config) -> Iterable[Diagnostic]:
    from repofolio.clean.engine import Settings, Target, run, wanted

    targets = [
        Target(name, project.rel)
        for project in portfolio.projects
        for name in portfolio.project_files(project)
        if wanted(name, cfg.clean.extensions)
    ]
    if not targets:
        return []
    settings = Settings(check=True, format_code=False, text=False)
    outcome = run(cfg, targets, settings)
    return [d for d in outcome.diagnostics if d.code.startswith(FAMILIES)]
