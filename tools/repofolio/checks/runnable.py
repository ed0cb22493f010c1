"""RN001: a project with code (``.py`` or ``.ipynb``) but no ``run:`` cannot prove it runs.

``folio run`` marks such a project "not runnable" on its badge; this warns in ``folio check``
so the gap is seen before publishing. A warning, not an error: a write-up about a notebook-only
study may choose to stay unrun. Only ``kind: code`` is asked: a notebook project's notebooks
are what runs (``folio run --notebooks``), and research, no-code and snippet write-ups have
nothing a reader runs unless they say ``run:``. Costs only the file list, which ``folio check``
already has.
"""

from __future__ import annotations

from collections.abc import Iterator

from repofolio.config import Config
from repofolio.diagnostics import Diagnostic
from repofolio.model import Portfolio

CODE_SUFFIXES = (".py", ".ipynb")
SKIP_PARTS = ("/.ipynb_checkpoints/", "/.venv/", "/venv/", "/build/", "/__pycache__/")


def check(portfolio: Portfolio, cfg: Config) -> Iterator[Diagnostic]:
    for project in portfolio.projects:
        meta = project.meta
        if meta is None or meta.run is not None or meta.kind != "code":
            continue  # invalid front matter is reported by the FM checks
        code = [
            f
            for f in portfolio.project_files(project)
            if f.endswith(CODE_SUFFIXES) and not any(p in f"/{f}" for p in SKIP_PARTS)
        ]
        if not code:
            continue
        py = sum(f.endswith(".py") for f in code)
        nb = len(code) - py
        kinds = ", ".join(
            part
            for part in (
                f"{py} .py file{'s' if py != 1 else ''}" if py else "",
                f"{nb} notebook{'s' if nb != 1 else ''}" if nb else "",
            )
            if part
        )
        line = project.front.line_of() if project.front is not None else 1
        yield Diagnostic(
            project.readme_rel,
            max(line, 1),
            1,
            "RN001",
            f"project has code ({kinds}) but no 'run:' in its front matter; "
            "add the command that proves it runs (folio run)",
            "warning",
        )
