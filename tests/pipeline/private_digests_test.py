"""The names of the job search reach no published byte, on this machine and in CI.

A newcomer's repository: ``folio apply`` writes the companies and contacts as salted
digests into ``.folio/private-names``; a journal entry written by hand names them, which
``folio check`` reports (JR011, the name masked); then a fresh clone with no pipeline store
at all, as CI has, runs ``folio index`` and a real ``folio build``: no byte of README.md or
of site/ (pages, search index, RSS feed, sitemap) holds a name. The same clone without the
digests file publishes them: the digests are what redacts there.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import GIT_ENV, commit, git, run_cli
from site_data import with_journal_feed

TODAY = dt.date.today()
DAY = (TODAY - dt.timedelta(days=3)).isoformat()
COMPANIES = ("Initech", "Globex Corp", "Hooli")
PEOPLE = ("Bill Lumbergh", "Peter Gibbons")
NAMES = (*COMPANIES, *PEOPLE, "Lumbergh", "Gibbons", "globex-corp")

ENTRY = f"""---
date: {DAY}
categories:
  - interview
hours: 3
---

# Interview at Initech

Met Bill from Initech; Lumbergh asked about
[Globex Corp](https://globex-corp.example/jobs)'s stack. INITECH's office is nice.
"""


def leaks(files: dict[str, bytes]) -> list[tuple[str, str]]:
    found = []
    for rel, blob in files.items():
        text = blob.decode("utf-8", "replace").casefold()
        found += [(rel, n) for n in NAMES if n.casefold() in text]
    return found


def everything(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def folio(cwd: Path, data_home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """folio as a fresh process (as CI runs it): its own data directory, no store there."""
    env = {**os.environ, **GIT_ENV, "XDG_DATA_HOME": str(data_home), "HOME": str(data_home)}
    return subprocess.run(
        [sys.executable, "-m", "repofolio", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def searched(new_user_repo: Path, runner: CliRunner) -> Path:
    """The newcomer's pipeline (two companies, two contacts) and a hand-written entry."""
    root = new_user_repo
    with_journal_feed(root)
    readme = (root / "README.md").read_text(encoding="utf-8")
    (root / "README.md").write_text(
        readme + "\n## Journal\n\n<!-- folio:journal:start -->\n<!-- folio:journal:end -->\n",
        encoding="utf-8",
    )
    code, out, err = run_cli(
        runner, "apply", "add", "Initech", "--role", "ML Engineer", "--contact", "Bill Lumbergh"
    )
    assert code == 0 and out == "1\n", err
    assert "Updated .folio/private-names (2 new names, as salted digests)" in err
    code, _, err = run_cli(
        runner, "apply", "contact", "add", "Peter Gibbons", "--company", "Globex Corp"
    )
    assert code == 0 and "(2 new names" in err
    # a company named only in the journal, added by hand
    code, _, err = run_cli(runner, "journal", "private", "add", "Hooli")
    assert code == 0 and "Added a company (H***i, 1 word)" in err
    post = root / "docs" / "journal" / "posts" / f"{DAY}.md"
    post.parent.mkdir(parents=True, exist_ok=True)
    post.write_text(ENTRY, encoding="utf-8")
    return root


def test_apply_writes_digests_check_reports_the_entry_without_printing_a_name(
    searched: Path, runner: CliRunner
) -> None:
    root = searched
    digests = (root / ".folio" / "private-names").read_bytes()
    assert leaks({"digests": digests}) == []
    rows = [r.split() for r in digests.decode().splitlines() if r and not r.startswith("#")]
    assert [r[0] for r in rows].count("salt") == 1
    # Initech, Globex Corp, Hooli; Bill Lumbergh, Peter Gibbons; and their four name parts
    assert sorted((r[0], r[1]) for r in rows if r[0] != "salt") == sorted(
        [("company", "1"), ("company", "2"), ("company", "1")]
        + [("person", "2")] * 2
        + [("part", "1")] * 4
    )
    code, out, _ = run_cli(runner, "journal", "private", "list", "--format", "json")
    assert json.loads(out) == {
        "file": ".folio/private-names",
        "companies": 3,
        "people": 2,
        "name_parts": 4,
        "plain_text": 0,
    }

    code, out, err = run_cli(runner, "check")
    assert code == 1, out + err
    rel = f"docs/journal/posts/{DAY}.md"
    found = [line for line in out.splitlines() if " JR011 " in line]
    assert [line.split(" JR011 ")[0] for line in found] == [
        f"{rel}:8:16:",  # the title: "# Interview at Initech"
        f"{rel}:10:5:",  # Bill (a name part, as written)
        f"{rel}:10:15:",  # Initech
        f"{rel}:10:24:",  # Lumbergh
        f"{rel}:11:2:",  # Globex Corp (a link's text)
        f"{rel}:11:23:",  # globex-corp in the URL
        f"{rel}:11:58:",  # INITECH
    ]
    assert "a private person name (B**l)" in found[1]
    assert "a private company name (G****x C**p)" in found[4]
    assert leaks({"check": (out + err).encode()}) == []
    # not committed yet: CI would have no digests
    assert ".folio/private-names:1:1: JR013" in out
    commit(root, "pipeline digests and a journal entry")
    code, out, _ = run_cli(runner, "check")
    assert "JR013" not in out and out.count(" JR011 ") == 7


def test_ci_without_a_store_redacts_from_the_committed_digests(
    searched: Path, runner: CliRunner, tmp_path: Path
) -> None:
    commit(searched, "pipeline digests and a journal entry (names and all)")
    clone = tmp_path / "ci" / "portfolio"
    clone.parent.mkdir()
    git(clone.parent, "clone", "-q", str(searched), str(clone))
    empty = tmp_path / "ci-data"  # no store at all, as on a GitHub runner
    empty.mkdir()
    where = folio(clone, empty, "apply", "where")
    assert "not created yet" in where.stderr and not Path(where.stdout.strip()).exists()

    index = folio(clone, empty, "index")
    assert index.returncode == 1, index.stderr
    readme = (clone / "README.md").read_text(encoding="utf-8")
    assert "[Interview at a company]" in readme
    assert "Met a contact from a company; a contact asked about a company's stack." in readme
    assert leaks({"README.md": readme.encode()}) == []

    build = folio(clone, empty, "build")
    assert build.returncode == 0, build.stderr
    site = everything(clone / "site")
    assert "search/search_index.json" in site and "feed_rss_created.xml" in site
    assert b"a contact from a company" in site["search/search_index.json"]
    assert "Interview at a company" in site["feed_rss_created.xml"].decode("utf-8")
    assert leaks(site) == []
    assert not empty.joinpath("repofolio").exists()  # and no store was made

    # the same clone without the digests: the names go out, so the digests are what hid them
    (clone / ".folio" / "private-names").unlink()
    assert folio(clone, empty, "build").returncode == 0
    assert ("search/search_index.json", "Initech") in leaks(everything(clone / "site"))
