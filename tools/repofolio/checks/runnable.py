"""RN001: a project with code (``.py`` or ``.ipynb``) but no ``run:`` cannot prove it runs.
RN002: a project that runs has a ``requirements.txt`` its front matter does not name.

``folio run`` marks such a project "not runnable" on its badge; this warns in ``folio check``
so the gap is seen before publishing. A warning, not an error: a write-up about a notebook-only
study may choose to stay unrun. Only ``kind: code`` is asked: a notebook project's notebooks
are what runs (``folio run --notebooks``), and research, no-code and snippet write-ups have
nothing a reader runs unless they say ``run:``. Costs only the file list, which ``folio check``
already has.

RN002: ``folio run`` installs only the file ``requirements:`` names; without it a project runs in
a bare environment, and a new user who wrote ``requirements.txt`` beside the write-up saw the
notebook fail on ``import numpy``. Warned only where something runs (``has_badge``).
"""

from __future__ import annotations

from collections.abc import Iterator

from repofolio.config import Config
from repofolio.diagnostics import Diagnostic
from repofolio.model import Portfolio, Project
from repofolio.runner.runs import has_badge

CODE_SUFFIXES = (".py", ".ipynb")
SKIP_PARTS = ("/.ipynb_checkpoints/", "/.venv/", "/venv/", "/build/", "/__pycache__/")
REQUIREMENTS_FILE = "requirements.txt"  # what pip's users write, and what `folio new` adopts


def check(portfolio: Portfolio, cfg: Config) -> Iterator[Diagnostic]:
    for project in portfolio.projects:
        yield from _undeclared_requirements(portfolio, project)
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


def _undeclared_requirements(portfolio: Portfolio, project: Project) -> Iterator[Diagnostic]:
    meta = project.meta
    if meta is None or meta.requirements is not None or project.front is None:
        return
    if f"{project.rel}/{REQUIREMENTS_FILE}" not in portfolio.project_files(project):
        return
    if not has_badge(portfolio, project):
        return  # nothing runs: the file is nobody's concern here
    yield Diagnostic(
        project.readme_rel,
        max(project.front.line_of("run") if meta.run is not None else project.front.line_of(), 1),
        1,
        "RN002",
        f"'{REQUIREMENTS_FILE}' is beside the write-up but not in its front matter: folio run "
        f"installs only what 'requirements:' names (add requirements: {REQUIREMENTS_FILE})",
        "warning",
    )
