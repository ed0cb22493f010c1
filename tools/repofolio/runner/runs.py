"""What ``folio run`` runs for a project, and so which projects show a run badge. Pure.

Something runs where the write-up says so: its ``run:`` commands (any kind: code, a snippet,
a research project that reproduces its figures), and the notebooks of a ``kind: notebook``
project, which a plain ``folio run`` executes (the publish workflow's own command). A
project with nothing to run (a thesis, a hardware build, a snippet that is only shown, code
without ``run:``) gets no badge anywhere, not a grey "not runnable". Light: the README index
imports it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from repofolio.model import Portfolio, Project

NOTEBOOK_KIND = "notebook"  # the kind whose notebooks run by default


def executes_notebooks(project: Project, requested: bool | None = None) -> bool:
    """Whether a run executes the project's notebooks: ``--notebooks``/``--no-notebooks``
    when given, else by kind."""
    if requested is not None:
        return requested
    return project.meta is not None and project.kind == NOTEBOOK_KIND


def has_badge(portfolio: Portfolio, project: Project) -> bool:
    """A plain ``folio run`` has something to prove for ``project``: a badge makes sense."""
    if project.meta is None:
        return False
    if project.meta.run_commands:
        return True
    return executes_notebooks(project) and bool(portfolio.notebooks(project))
