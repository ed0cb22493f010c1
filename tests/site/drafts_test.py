"""Drafts (``draft: true`` in a write-up or in cv.yaml) on a new user's repository: checked,
shown and marked by ``folio serve``, never on a built site, in the README index, the RSS feed
or the resume."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from conftest import commit, good_readme, write_project
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from site_data import start_serve, wait_for

DRAFT = good_readme(
    "Zanzibarite forecaster",
    front_extra="draft: true\n",
).replace("tags: [ml, churn]", "tags: [ml, quokka-tag]")
RSS = """\
  - rss:
      match_path: "journal/posts/.*"
      date_from_meta:
        as_creation: date
"""
POST = """\
---
date: 2026-01-05
categories: [projects]
---

# Back on the churn model

Rewrote the feature pipeline of the [churn model](../../projects/churn-model/index.md) and
added a test for the time split.
"""


def folio(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``folio`` in its own process: mkdocs keeps plugin instances per process, and
    Material's blog cannot build twice in one."""
    return subprocess.run(
        [sys.executable, "-m", "repofolio", "-C", str(root), *args],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )


def with_rss(root: Path) -> None:
    yml = root / "mkdocs.yml"
    text = yml.read_text("utf-8")
    assert "  - tags\n" in text
    yml.write_text(text.replace("  - tags\n", "  - tags\n" + RSS, 1), "utf-8")


def site_text(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): p.read_bytes().decode("utf-8", "replace")
        for p in site.rglob("*")
        if p.is_file()
    }


@pytest.fixture
def drafted(new_user_repo: Path) -> Path:
    root = new_user_repo
    write_project(root, "churn-model")
    eda = new_notebook(cells=[new_markdown_cell("# Weekday demand"), new_code_cell("1 + 1")])
    write_project(root, "zanzibarite", DRAFT, {"eda.ipynb": nbformat.writes(eda)})
    post = root / "docs/journal/posts/2026-01-05.md"
    post.parent.mkdir(parents=True, exist_ok=True)
    post.write_text(POST, "utf-8")
    with_rss(root)
    with (root / "README.md").open("a", encoding="utf-8") as fh:  # where the index goes
        fh.write("\n## Projects\n\n<!-- folio:projects:start -->\n<!-- folio:projects:end -->\n")
    commit(root, "a project, a draft, a journal entry")
    return root


@pytest.mark.slow  # real folio builds
def test_a_draft_is_on_no_built_page_feed_index_or_resume(drafted: Path) -> None:
    root = drafted
    result = folio(root, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    site = root / "site"
    files = site_text(site)
    assert "projects/churn-model/index.html" in files
    assert not (site / "projects/zanzibarite").exists()
    assert not (site / "badges/zanzibarite.svg").exists()
    for name in ("Zanzibarite", "zanzibarite", "quokka-tag"):  # page, card, tags, search, sitemap
        assert [rel for rel, text in files.items() if name in text] == [], name
    for rel in ("index.html", "projects/index.html", "tags/index.html", "sitemap.xml"):
        assert rel in files, rel  # the places a draft would show, all built
    assert "Churn Model" in files["search/search_index.json"]
    assert "Back on the churn model" in files["feed_rss_created.xml"]
    # the starter cv.yaml is a draft: no CV page, no PDF, no CV link in the navigation
    assert not (site / "cv").exists() and not (site / "cv.pdf").exists()
    assert not re.search(r'href="[^"]*cv/"', files["index.html"])
    # the README index and the CV leave it out too
    assert folio(root, "index").returncode in (0, 1)  # 1: README.md rewritten
    readme = (root / "README.md").read_text("utf-8")
    assert "Churn Model" in readme and "Zanzibarite" not in readme
    resume = folio(root, "resume", "build", "--cv", "--format", "md", "-o", "-")
    assert resume.returncode == 0, resume.stderr
    assert "Churn Model" in resume.stdout and "Zanzibarite" not in resume.stdout


@pytest.mark.slow  # a real mkdocs build, in its own process
def test_a_draft_cv_with_the_cv_in_the_own_nav_builds_strict_without_a_broken_link(
    new_user_repo: Path,
) -> None:
    root = new_user_repo
    yml = root / "mkdocs.yml"
    text = yml.read_text("utf-8")
    yml.write_text(
        text + "\nnav:\n  - Home: index.md\n  - Projects: projects/index.md\n  - CV: cv.md\n",
        "utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode == 0, result.stderr
    home = (root / "site/index.html").read_text("utf-8")
    assert 'href="projects/"' in home and not re.search(r'href="[^"]*cv/"', home)


@pytest.mark.slow  # a real folio serve
def test_folio_serve_shows_a_draft_marked_as_one(drafted: Path) -> None:
    root = drafted
    server, address = start_serve(root)
    try:
        base = address + "portfolio/"  # site_url's path (init's, from the origin)
        page = wait_for(base + "projects/zanzibarite/", "Zanzibarite forecaster")
        assert 'class="admonition warning folio-draft"' in page
        assert "projects/zanzibarite/README.md says <code>draft: true</code>" in page
        gallery = wait_for(base + "projects/", "Zanzibarite forecaster")
        assert "folio-badge--draft" in gallery
        churn = wait_for(base + "projects/churn-model/", "Churn Model")
        assert "folio-draft" not in churn  # only drafts are marked
        assert "folio-draft" in wait_for(base + "cv/", "CV")  # the starter CV, marked
        notebook = wait_for(base + "projects/zanzibarite/eda/", "Weekday demand")
        assert "folio-draft" in notebook  # a draft's notebook page is marked too
    finally:
        server.terminate()
        _, err = server.communicate(timeout=30)
    assert "Traceback" not in err, err
    assert not (root / "site").exists()  # serve builds elsewhere: nothing left to publish
