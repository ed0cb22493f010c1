"""A secret in any published file keeps its page out of every build (``folio build``,
``folio serve``, a plain ``mkdocs build``): named with its line, ``folio build`` exits 1, and
no byte of it is under ``site/``. On a new user's repository."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from conftest import commit, good_readme, write_project
from drafts_test import folio, site_text, with_rss
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

# A real-looking GitHub token, made here so that the repository's own scanners do not flag
# this file: "ghp_" and 36 characters.
TOKEN = "gh" + "p_" + "R8kq2LmZx7TfWcA1vN4yHbJ6uE0sPdG9oQ3i"
assert len(TOKEN) == 40

CLEAN_POST = """\
---
date: 2026-01-05
categories: [job-search]
---

# First week

Applied to two roles and rewrote the churn model's tests.
"""
SECRET_POST = f"""\
---
date: 2026-01-06
categories: [job-search]
---

# Deploy day

Set up the deploy. Note to self, the token for the CI bot:

    export GITHUB_TOKEN={TOKEN}

Then the badge went green.
"""
ABOUT = f"""\
# About

I build forecasting systems. My bot reads {TOKEN} from its settings.
"""


def _notebook(secret: bool) -> str:
    printed = f"token={TOKEN}\n" if secret else "token=<hidden>\n"
    nb = new_notebook(
        cells=[
            new_markdown_cell("# Calls to the API"),
            new_code_cell(
                "import os\nprint('token=' + os.environ['GH'])",
                outputs=[new_output("stream", name="stdout", text=printed)],
            ),
        ]
    )
    return str(nbformat.writes(nb))


@pytest.fixture
def leaky(new_user_repo: Path) -> Path:
    root = new_user_repo
    posts = root / "docs/journal/posts"
    posts.mkdir(parents=True, exist_ok=True)
    (posts / "2026-01-05.md").write_text(CLEAN_POST, "utf-8")
    (posts / "2026-01-06.md").write_text(SECRET_POST, "utf-8")
    (root / "docs/about.md").write_text(ABOUT, "utf-8")
    (root / "docs/notes.txt").write_text(f"raw copy {TOKEN}\n", "utf-8")  # copied as it is
    write_project(root, "churn-model", files={"api.ipynb": _notebook(secret=True)})
    leaked = good_readme("Leaky bot").replace(
        "## How to run\n", f"## How to run\n\nSet `GITHUB_TOKEN={TOKEN}` first.\n"
    )
    write_project(root, "leaky-bot", leaked)
    with_rss(root)
    commit(root, "a journal, an about page, a notebook and a write-up, some with a token")
    return root


def _holders(site: Path) -> list[str]:
    """Every file under site/ that holds a byte sequence of the token (or its body)."""
    needles = (TOKEN.encode(), TOKEN[4:].encode(), TOKEN[:20].encode())
    return sorted(
        p.relative_to(site).as_posix()
        for p in site.rglob("*")
        if p.is_file() and any(n in p.read_bytes() for n in needles)
    )


@pytest.mark.slow  # real folio builds, nbconvert
def test_a_plain_folio_build_leaves_every_page_with_a_secret_out_and_exits_1(
    leaky: Path,
) -> None:
    root = leaky
    result = folio(root, "build")
    assert result.returncode == 1, result.stdout + result.stderr
    site = root / "site"
    assert _holders(site) == []
    lines = [line for line in result.stdout.splitlines() if " ST006 " in line]
    # one line a file, where its first secret is (as SE001 says), and why
    assert [line.split(": ST006")[0] for line in lines] == [
        "docs/about.md:3:43",
        "docs/journal/posts/2026-01-06.md:10:25",
        "docs/notes.txt:1:10",
        "projects/churn-model/api.ipynb:21:14",  # in the .ipynb file, not in its page
        "projects/leaky-bot/README.md:31:19",
    ]
    reason = "left out of the site: it holds a secret: github token ghp_****"
    assert all(reason in line for line in lines), lines
    source = (root / "projects/churn-model/api.ipynb").read_text("utf-8").splitlines()
    assert source[20][13:].startswith(TOKEN)
    assert "left out of the site: they hold a secret" in result.stderr
    files = site_text(site)
    # the rest is published: the clean entry, its feed, the project, the notebook's page not
    assert "First week" in files["feed_rss_created.xml"]
    assert "Deploy day" not in files["feed_rss_created.xml"]
    assert "First week" in files["index.html"] and "Deploy day" not in files["index.html"]
    assert "Deploy day" not in files["journal/index.html"]
    assert "projects/churn-model/index.html" in files
    assert not (site / "projects/churn-model/api").exists()
    assert (
        not (site / "projects/leaky-bot").exists()
        and "Leaky bot" not in files["projects/index.html"]
    )
    assert not (site / "about").exists() and not (site / "notes.txt").exists()
    assert 'href="about/"' not in files["index.html"]  # no broken link in the navigation
    search = json.loads(files["search/search_index.json"])
    assert not [
        d for d in search["docs"] if d["location"].startswith(("about", "journal/2026/01/06"))
    ]


@pytest.mark.slow  # real builds
def test_a_secret_added_after_a_build_takes_the_page_off_the_next_one(new_user_repo: Path) -> None:
    root = new_user_repo
    posts = root / "docs/journal/posts"
    posts.mkdir(parents=True, exist_ok=True)
    (posts / "2026-01-06.md").write_text(SECRET_POST.replace(TOKEN, "<from the vault>"), "utf-8")
    commit(root)
    first = folio(root, "build")
    assert first.returncode == 0, first.stdout + first.stderr
    assert (root / "site/journal/2026/01/06/deploy-day/index.html").is_file()
    (posts / "2026-01-06.md").write_text(SECRET_POST, "utf-8")
    again = folio(root, "build")
    assert again.returncode == 1
    assert not (root / "site/journal/2026/01/06").exists()
    assert _holders(root / "site") == []


@pytest.mark.slow  # a real mkdocs build, in its own process
def test_a_plain_mkdocs_build_with_the_plugin_leaves_them_out_too(leaky: Path) -> None:
    root = leaky
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode == 0, result.stderr  # mkdocs' own exit: --strict fails on it
    warned = [line for line in result.stderr.splitlines() if "ST006" in line]
    assert len(warned) == 5, result.stderr
    assert any("docs/about.md:3:43: ST006 left out of the site" in line for line in warned)
    assert _holders(root / "site") == []
    assert not (root / "site/about").exists()


@pytest.mark.slow  # a real folio docs
def test_folio_docs_writes_no_file_with_a_secret(leaky: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = folio(leaky, "docs", "--out", str(out))
    assert result.returncode == 1
    assert _holders(out) == []
    assert (out / "journal/posts/2026-01-05.md").is_file()
    assert not (out / "journal/posts/2026-01-06.md").exists() and not (out / "about.md").exists()


@pytest.mark.slow  # a real folio build
def test_a_secret_in_the_home_pages_text_keeps_the_generated_home_page_without_it(
    new_user_repo: Path,
) -> None:
    root = new_user_repo
    home = root / "docs/index.md"
    home.write_text(home.read_text("utf-8") + f"\nMy CI reads {TOKEN}.\n", "utf-8")
    commit(root)
    result = folio(root, "build")
    assert result.returncode == 1
    assert "docs/index.md:" in result.stdout and " ST006 " in result.stdout
    index = (root / "site/index.html").read_text("utf-8")
    assert "Jane Doe" in index  # the home page, made without the hand-written text
    tabs = re.findall(r'<a href="([^"]*)" class="md-tabs__link">', index)
    assert tabs[:2] == [".", "projects/"]  # Home kept in the navigation, before Projects
    assert _holders(root / "site") == []
