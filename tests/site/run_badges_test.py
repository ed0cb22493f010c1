"""Run badges only where something runs (``runner.runs.has_badge``): a research, a no-code and
a snippet project without ``run:`` get none on their page, their card, the home page, the
badge folder or the README index. A new user's repository, one project of each kind made by
``folio new --kind``."""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest
from conftest import commit
from drafts_test import folio
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

KINDS = ("code", "notebook", "research", "no-code", "snippet")
NOTHING_RUNS = ("research", "no-code", "snippet")
GREY = re.compile(r"not[- ]runnable|not run\b", re.IGNORECASE)


def _publish(readme: Path, extra: str = "") -> None:
    """What the owner does after `folio new`: fill in, drop the draft line."""
    text = readme.read_text("utf-8")
    text = re.sub(r"(?m)^draft: true.*\n", extra, text)
    text = text.replace("FILL IN: ", "")
    readme.write_text(text, "utf-8")


@pytest.mark.slow  # real folio builds
def test_no_badge_where_nothing_runs(new_user_repo: Path) -> None:
    root = new_user_repo
    for kind in KINDS:
        result = folio(root, "new", f"p-{kind}", "--kind", kind)
        assert result.returncode == 0, result.stderr
    _publish(root / "projects/p-code/README.md", "run: python -m pytest -q\n")
    for kind in ("notebook", "research", "no-code", "snippet"):
        _publish(root / f"projects/p-{kind}/README.md")
    nb = new_notebook(cells=[new_markdown_cell("# EDA"), new_code_cell("1 + 1")])
    (root / "projects/p-notebook/eda.ipynb").write_text(nbformat.writes(nb), "utf-8")
    (root / "projects/p-snippet/snippet.py").write_text("print('hello')\n", "utf-8")
    with (root / "README.md").open("a", encoding="utf-8") as fh:
        fh.write("\n<!-- folio:projects:start -->\n<!-- folio:projects:end -->\n")
    commit(root, "one project of each kind")
    # folio run on the three records them as not-runnable, without a badge (a real report)
    ran = folio(root, "run", *(f"p-{k}" for k in NOTHING_RUNS), "--format", "json")
    report = json.loads((root / ".folio-cache/run-report.json").read_text("utf-8"))
    assert {report["projects"][f"p-{k}"]["status"] for k in NOTHING_RUNS} == {"not-runnable"}, (
        ran.stdout + ran.stderr
    )
    built = folio(root, "build")
    assert built.returncode == 0, built.stdout + built.stderr
    site = root / "site"
    badges = sorted(p.name for p in (site / "badges").iterdir())
    assert badges == ["p-code.svg", "p-notebook.svg"]  # what runs: run:, a notebook's notebook
    pages = {
        p.relative_to(site).as_posix(): p.read_text("utf-8")
        for p in site.rglob("*")
        if p.suffix in (".html", ".json", ".xml", ".svg") and "assets" not in p.parts
    }
    for kind in NOTHING_RUNS:
        page = pages[f"projects/p-{kind}/index.html"]
        assert "folio-badge--" not in page and not GREY.search(page), kind
    for rel in ("index.html", "projects/index.html"):  # home and gallery cards
        cards = re.findall(r'<article class="folio-card">.*?</article>', pages[rel], re.S)
        assert cards, rel
        quiet = [c for c in cards if any(f"p-{k}/" in c for k in NOTHING_RUNS)]
        assert len(quiet) == 3 or rel == "index.html", rel  # the home page shows three
        assert quiet and all("folio-badge--" not in c for c in quiet), rel
    # the code project runs, but was not run here: its badge (the README's) says so
    assert ">not run</text>" in pages["badges/p-code.svg"]
    assert [
        rel for rel, text in pages.items() if "not-runnable" in text or "not runnable" in text
    ] == []
    assert folio(root, "index").returncode in (0, 1)  # 1: the README was rewritten
    readme = (root / "README.md").read_text("utf-8")
    assert "P Research" in readme and "P Snippet" in readme
    assert not GREY.search(readme)
    assert "badges/p-research.svg" not in readme and "badges/p-snippet.svg" not in readme
    assert "badges/p-code.svg" in readme
