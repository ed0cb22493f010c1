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

    # Portfolio.project_files filters the whole file list once per project (quadratic on
    # 1,000 projects); one pass over the same git listing gives the same files.
    by_rel = {project.rel: project for project in portfolio.projects}
    targets = []
    extensions = tuple(cfg.clean.extensions)
    for name in portfolio.files():
        if "/" not in name or not wanted(name, extensions):
            continue
        cut = len(name)
        while (cut := name.rfind("/", 0, cut)) > 0:  # the deepest project folder first
            folder = name[:cut]
            if folder in by_rel:
                project = by_rel[folder]
                # the loader has read the README already: scan that text, don't read again
                text = project.text if name == project.readme_rel else None
                targets.append(Target(name, folder, text))
                break
    if not targets:
        return []
    settings = Settings(check=True, format_code=False, text=False)
    outcome = run(cfg, targets, settings)
    return [d for d in outcome.diagnostics if d.code.startswith(FAMILIES)]
