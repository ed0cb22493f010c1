"""Notebooks, secrets and personal paths: what ``folio clean`` would fix or refuse, reported.

CI runs ``folio check``; this catches what a skipped pre-commit run let through. It shares
``folio clean``'s pipeline in check mode without ruff (formatting is for the hook, not the
gate), so it costs one Aho-Corasick pass per file and, per notebook, one parse and one
validation against nbformat's schema (nbformat itself is not imported). detect-secrets
loads only on a suspicious line.
"""

from __future__ import annotations

from collections.abc import Iterable

from repofolio.config import Config
from repofolio.diagnostics import Diagnostic
from repofolio.model import Portfolio

FAMILIES = ("NB", "SE", "PA")


def check(portfolio: Portfolio, cfg: Config) -> Iterable[Diagnostic]:
    from repofolio.clean.engine import Settings, Target, run, wanted

    targets = []
    extensions = tuple(cfg.clean.extensions)
    for project in portfolio.projects:
        for name in portfolio.project_files(project):  # grouped once, for every project
            if wanted(name, extensions):
                # the loader has read the README already: scan that text, don't read again
                text = project.text if name == project.readme_rel else None
                targets.append(Target(name, project.rel, text))
    if not targets:
        return []
    settings = Settings(check=True, format_code=False, text=False)
    outcome = run(cfg, targets, settings)
    return [d for d in outcome.diagnostics if d.code.startswith(FAMILIES)]
