"""A notebook that raised says so on its page, and its project's card and badge say failing:
from ``folio run``'s report, and from the error outputs a notebook was saved with. Notebooks
executed for real (a Jupyter kernel in the environment ``folio run`` builds, nbclient: what
nbconvert's ``--execute`` runs), on a new user's repository."""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest
from conftest import commit
from drafts_test import folio
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from run_badges_test import _publish


def _raises() -> nbformat.NotebookNode:
    return new_notebook(
        cells=[
            new_markdown_cell("# Demand by weekday"),
            new_code_cell("x = 1"),
            new_code_cell("y = x / 0"),
            new_code_cell("print(y)"),
        ]
    )


def _execute_with_errors(nb: nbformat.NotebookNode, kernels: Path) -> nbformat.NotebookNode:
    """Run every cell in the kernel of ``folio run``'s environment, errors kept as outputs
    (``jupyter nbconvert --execute --allow-errors``)."""
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    km = KernelManager(
        kernel_name="folio-env", kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(kernels)])
    )
    client = NotebookClient(nb, km=km, kernel_name="folio-env", allow_errors=True, timeout=120)
    client.execute()
    return nb


@pytest.mark.slow  # builds a kernel environment and executes notebooks
def test_a_notebook_that_raised_shows_it_on_its_page_card_and_badge(new_user_repo: Path) -> None:
    root = new_user_repo
    for slug in ("demand", "saved"):
        assert folio(root, "new", slug, "--kind", "notebook").returncode == 0
        _publish(root / f"projects/{slug}/README.md")
    (root / "projects/demand/weekday.ipynb").write_text(nbformat.writes(_raises()), "utf-8")
    commit(root, "a notebook project")
    ran = folio(root, "run", "demand")  # the publish workflow's command: runs its notebook
    assert ran.returncode == 1, ran.stdout + ran.stderr
    report = json.loads((root / ".folio-cache/run-report.json").read_text("utf-8"))
    entry = report["projects"]["demand"]
    assert entry["status"] == "failing"
    # the same notebook executed with its errors saved, in another project nobody ran
    kernels = root / ".folio-cache/envs" / entry["env"] / "share/jupyter/kernels"
    executed = _execute_with_errors(_raises(), kernels)
    assert [o["ename"] for o in executed.cells[2]["outputs"]] == ["ZeroDivisionError"]
    (root / "projects/saved/weekday.ipynb").write_text(nbformat.writes(executed), "utf-8")
    commit(root, "an executed notebook")

    built = folio(root, "build")
    assert built.returncode == 0, built.stdout + built.stderr
    site = root / "site"
    notice = "This notebook raised an error"
    page = (site / "projects/demand/weekday/index.html").read_text("utf-8")
    assert notice in page
    assert "cell 3 raised ZeroDivisionError: division by zero (seen by folio run)" in page
    saved = (site / "projects/saved/weekday/index.html").read_text("utf-8")
    assert notice in saved
    assert (
        "cell 3 raised ZeroDivisionError: division by zero (an error output saved in the notebook)"
        in saved
    )
    assert 'role="alert"' in saved
    gallery = (site / "projects/index.html").read_text("utf-8")
    cards = re.findall(r'<article class="folio-card">.*?</article>', gallery, re.S)
    for slug in ("demand", "saved"):
        card = next(c for c in cards if f'href="{slug}/"' in c)
        assert "folio-badge--failing" in card and "runs: failing" in card, slug
        assert ">failing</text>" in (site / f"badges/{slug}.svg").read_text("utf-8")
    project = (site / "projects/saved/index.html").read_text("utf-8")
    assert "runs: failing" in project


def test_build_summary_counts_the_pages_it_made_in_the_right_number(new_user_repo: Path) -> None:
    """One notebook converted, one that is not JSON: '1 notebook page', as counted."""
    root = new_user_repo
    assert folio(root, "new", "demand", "--kind", "notebook").returncode == 0
    _publish(root / "projects/demand/README.md")
    good = new_notebook(cells=[new_markdown_cell("# Demand by weekday"), new_code_cell("1 + 1")])
    (root / "projects/demand/weekday.ipynb").write_text(nbformat.writes(good), "utf-8")
    (root / "projects/demand/broken.ipynb").write_text('{"cells": [\n', "utf-8")
    commit(root, "two notebooks, one truncated")
    built = folio(root, "build")
    assert "1 notebook page (0 from cache, 1 failed)" in built.stderr, built.stderr
