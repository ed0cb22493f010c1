"""`folio github sync | import | publish-readme` against a fake GitHub on 127.0.0.1.

PyGithub really talks HTTP to tests/github_server.py; the tests assert on the requests the
server received and on the state it ends in.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import git, run_cli, write_project
from github_server import FakeGitHub, blob_sha
from repofolio.cli import main
from repofolio.commands.github import (
    first_paragraph,
    normalize_topic,
    pages_url,
    slug_for,
    wanted_topics,
)
from repofolio.errors import FolioError
from repofolio.github import api_url_from, scrub, token_from_env
from repofolio.remotes import parse_remote

TOKEN = "ghp_TESTtokenNeverShown0123456789abcdef"
PORTFOLIO = "maya/portfolio"
README = """\
# Maya Lindqvist

Hand-written introduction that only Maya edits.

## Projects

<!-- folio:projects:start -->
old generated index
<!-- folio:projects:end -->

## Journal

<!-- folio:journal:start -->
<!-- folio:journal:end -->

Contact: maya@example.org
"""
FAST = """
[tool.folio.github]
retries = 2
max-wait = 5
budget = 30
timeout = 5
"""


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    # GitHub Actions sets these; the tests decide them.
    for name in ("GITHUB_TOKEN", "GH_TOKEN", "GITHUB_API_URL", "GITHUB_REPOSITORY"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def gh() -> Iterator[FakeGitHub]:
    server = FakeGitHub()
    server.add_user("maya", TOKEN)
    server.add_repo(PORTFOLIO, {"README.md": README}, description="old words", topics=["portfolio"])
    with server:
        yield server


@pytest.fixture
def env(gh: FakeGitHub, repo: Path, monkeypatch: pytest.MonkeyPatch) -> FakeGitHub:
    """The portfolio repository wired to the fake server through the environment."""
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    monkeypatch.setenv("GITHUB_API_URL", gh.url)
    monkeypatch.setenv("GITHUB_REPOSITORY", PORTFOLIO)
    configure(repo, FAST)
    return gh


def configure(repo: Path, extra: str, head: str = "") -> None:
    (repo / "pyproject.toml").write_text(
        f'[tool.folio]\nowner = "Maya Lindqvist"\n{head}{extra}', encoding="utf-8"
    )


def writes(gh: FakeGitHub) -> list[str]:
    return [f"{r.method} {r.path}" for r in gh.requests if r.method != "GET"]


def project_with_tags(repo: Path, slug: str, tags: list[str]) -> None:
    write_project(
        repo,
        slug,
        f"""\
---
title: {slug.title()}
summary: A project about {slug}.
date: 2024-05-01
tags: {json.dumps(tags)}
results:
  - ROC AUC 0.91 against 0.84
---

# {slug.title()}

## Problem

A problem.

## Approach

An approach.

## Results

AUC 0.91.

## How to run

```bash
make
```
""",
    )


# -- pure helpers --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "topic"),
    [
        ("Machine Learning", "machine-learning"),
        ("C++", "cpp"),
        ("C#", "csharp"),
        (".NET", "dotnet"),
        ("computer_vision", "computer-vision"),
        ("  --PyTorch--  ", "pytorch"),
        ("Café Münster", "cafe-munster"),
        ("x" * 60, "x" * 50),
        ("a" * 49 + "-b", "a" * 49),
        ("!!!", None),
        ("", None),
    ],
)
def test_normalize_topic(raw: str, topic: str | None) -> None:
    assert normalize_topic(raw) == topic


def test_wanted_topics_orders_config_first_then_by_use_and_caps_at_20() -> None:
    tags = [["ML", "python"], ["python", "nlp"], ["Python"]] + [[f"t{i:02}"] for i in range(30)]
    topics, dropped = wanted_topics(["Portfolio", "ml"], tags)
    assert topics[:4] == ["portfolio", "ml", "python", "nlp"]
    assert len(topics) == 20 and len(set(topics)) == 20
    assert dropped == [f"t{i:02}" for i in range(16, 30)]


def test_pages_url() -> None:
    assert pages_url("Maya", "portfolio") == "https://maya.github.io/portfolio/"
    assert pages_url("maya", "Maya.github.io") == "https://maya.github.io/"


@pytest.mark.parametrize(
    ("url", "full"),
    [
        ("https://github.com/maya/portfolio.git", "maya/portfolio"),
        ("https://github.com/maya/portfolio", "maya/portfolio"),
        ("git@github.com:maya/portfolio.git", "maya/portfolio"),
        ("ssh://git@ghe.example.com/maya/port.folio.git", "maya/port.folio"),
        ("https://x-access-token:abc@github.com/maya/portfolio", "maya/portfolio"),
        ("/srv/git/portfolio", None),
        ("https://[::1/maya/portfolio", None),  # urlsplit raises on the bracket: no traceback
    ],
)
def test_parse_remote(url: str, full: str | None) -> None:
    assert parse_remote(url) == full


def test_first_paragraph_skips_badges_headings_code_and_fixes_links() -> None:
    readme = """---
title: x
---
# Project <!-- hidden -->

[![CI](https://x/ci.svg)](https://x/ci) ![cov](https://x/cov.svg)

<p align="center"><img src="logo.png"></p>

```python
print("not this")
```

Forecasts daily demand for [100 stores](./data/README.md) with a <img src="x.png" width=9>
gradient-boosted model ![plot](/img/plot.png) and [docs](https://example.org).

Second paragraph.
"""
    got = first_paragraph(readme, "https://github.com/o/r/blob/main")
    assert got == (
        "Forecasts daily demand for [100 stores](https://github.com/o/r/blob/main/data/README.md)"
        " with a gradient-boosted model "
        "![plot](https://github.com/o/r/blob/main/img/plot.png?raw=true) and "
        "[docs](https://example.org)."
    )
    assert first_paragraph("# Title\n\n- a list\n- only\n", "https://x") is None
    odd = "An odd [link](//[::1) in a README from GitHub stays as it is.\n"
    assert first_paragraph(odd, "https://x") == odd.strip()


def test_slug_for() -> None:
    assert slug_for("Churn_Model.v2") == "churn-model-v2"
    assert slug_for("--x--") == "x"


def test_token_and_api_url_from_the_environment() -> None:
    assert token_from_env({"GITHUB_TOKEN": " a ", "GH_TOKEN": "b"}) == "a"
    assert token_from_env({"GITHUB_TOKEN": "", "GH_TOKEN": "b"}) == "b"
    assert token_from_env({}) is None
    assert api_url_from(None, {}) == "https://api.github.com"
    assert api_url_from(None, {"GITHUB_API_URL": "https://ghe.x/api/v3/"}) == "https://ghe.x/api/v3"
    assert api_url_from("http://127.0.0.1:1/api", {"GITHUB_API_URL": "https://x"}) == (
        "http://127.0.0.1:1/api"
    )
    with pytest.raises(FolioError, match="invalid GitHub API URL 'ftp://x'"):
        api_url_from("ftp://x", {})
    with pytest.raises(FolioError, match=r"invalid GitHub API URL 'http://\[::1'"):
        api_url_from("http://[::1", {})


def test_scrub_removes_token_and_its_base64() -> None:
    import base64

    encoded = base64.b64encode(TOKEN.encode()).decode()
    assert scrub(f"a {TOKEN} b {encoded}", TOKEN) == "a *** b ***"
    assert scrub("nothing", None) == "nothing"


# -- sync ----------------------------------------------------------------------------------


def test_sync_dry_run_shows_current_and_wanted_and_changes_nothing(
    env: FakeGitHub, repo: Path, runner: CliRunner
) -> None:
    configure(
        repo,
        FAST + 'topics = ["Portfolio", "Machine Learning"]\n',
        head='headline = "ML engineer: NLP and forecasting"\n',
    )
    project_with_tags(repo, "churn", ["ML", "Churn"])
    code, out, err = run_cli(runner, "github", "sync", "--dry-run")
    assert code == 0, err
    assert out.splitlines() == [
        "maya/portfolio: 3 of 3 settings differ",
        '  description  change     "old words" -> "ML engineer: NLP and forecasting"',
        '  homepage     change     "" -> "https://maya.github.io/portfolio/"',
        "  topics       change     [portfolio] -> [portfolio, machine-learning, churn, ml]",
        "                          added: machine-learning, churn, ml; removed: -",
    ]
    assert writes(env) == []
    state = env.repo(PORTFOLIO)
    assert (state.description, state.homepage, state.topics) == ("old words", None, ["portfolio"])


def test_sync_changes_only_what_differs(env: FakeGitHub, repo: Path, runner: CliRunner) -> None:
    configure(
        repo,
        FAST + 'topics = ["portfolio"]\n',
        head='headline = "ML engineer"\nsite-url = "https://maya.dev/"\n',
    )
    state = env.repo(PORTFOLIO)
    state.homepage = "https://maya.dev/"
    code, _, err = run_cli(runner, "github", "sync")
    assert code == 0, err
    assert "Updated description of maya/portfolio" in err
    assert writes(env) == ["PATCH /repos/maya/portfolio"]
    patch = env.calls("PATCH")[0]
    assert patch.body == {"name": "portfolio", "description": "ML engineer"}
    assert patch.headers["authorization"] == f"token {TOKEN}"
    assert (state.description, state.homepage, state.topics) == (
        "ML engineer",
        "https://maya.dev/",
        ["portfolio"],
    )
    # A second run finds nothing to change and writes nothing.
    before = len(env.requests)
    code, _, err = run_cli(runner, "github", "sync")
    assert code == 0 and "maya/portfolio is up to date" in err
    assert [r.method for r in env.requests[before:]] == ["GET"]


def test_sync_topics_follow_githubs_rules(env: FakeGitHub, repo: Path, runner: CliRunner) -> None:
    for i in range(12):
        project_with_tags(
            repo, f"p{i:02}", [f"Tag Number {i}", "Deep_Learning", "C++", "A" * 70, f"extra.{i}"]
        )
    code, _, err = run_cli(runner, "github", "sync")
    assert code == 0, err
    put = env.calls("PUT", r"/topics$")
    assert len(put) == 1
    names = put[0].body["names"]
    assert names[:3] == ["a" * 50, "cpp", "deep-learning"]  # used by most projects first
    assert len(names) == 20
    assert env.repo(PORTFOLIO).topics == names  # the server accepted every one
    assert "topics over GitHub's limit of 20 left out" in err


def test_sync_check_exits_1_only_when_something_differs(
    env: FakeGitHub, repo: Path, runner: CliRunner
) -> None:
    configure(repo, FAST, head='headline = "old words"\nsite-url = "https://m.dev/"\n')
    code, out, _ = run_cli(runner, "github", "sync", "--check")
    assert code == 1 and 'homepage     change     "" -> "https://m.dev/"' in out
    env.repo(PORTFOLIO).homepage = "https://m.dev/"
    code, out, _ = run_cli(runner, "github", "sync", "--check")
    assert code == 0 and "0 of 2 settings differ" in out
    assert writes(env) == []


def test_repository_comes_from_the_git_remote(
    env: FakeGitHub, repo: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GITHUB_REPOSITORY")
    env.add_repo("maya/other", {"README.md": README})
    git(repo, "remote", "add", "origin", "git@github.com:maya/other.git")
    code, out, _ = run_cli(runner, "github", "sync", "--dry-run")
    assert code == 0 and out.startswith("maya/other:")
    code, out, _ = run_cli(runner, "github", "sync", "--dry-run", "--repo", PORTFOLIO)
    assert code == 0 and out.startswith("maya/portfolio:")
    # Without a remote, [tool.folio] repo-url names it; without anything, a clear error.
    git(repo, "remote", "remove", "origin")
    configure(repo, FAST, head=f'repo-url = "https://github.com/{PORTFOLIO}"\n')
    code, out, _ = run_cli(runner, "github", "sync", "--dry-run")
    assert code == 0 and out.startswith("maya/portfolio:")
    configure(repo, FAST)
    code, _, err = run_cli(runner, "github", "sync", "--dry-run")
    assert code == 2 and "which repository? pass --repo OWNER/NAME" in one_error_line(err)


def test_api_url_option_beats_the_environment(
    env: FakeGitHub, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_API_URL", "http://127.0.0.1:9/api/v3")
    code, out, err = run_cli(runner, "github", "sync", "--dry-run", "--api-url", env.url)
    assert code == 0, err
    assert env.calls("GET", r"^/repos/maya/portfolio$")


# -- import --------------------------------------------------------------------------------


def test_import_writes_a_writeup_from_the_repository(
    env: FakeGitHub, repo: Path, runner: CliRunner
) -> None:
    env.add_repo(
        "maya/Churn_Model",
        {
            "README.md": "# Churn\n\n[![CI](https://x/b.svg)](https://x)\n\nPredicts which "
            "subscribers cancel, from [usage logs](docs/logs.md).\n\nMore.\n"
        },
        description="Churn prediction with gradient boosting",
        topics=["machine-learning", "churn"],
        languages={"Python": 12000, "Jupyter Notebook": 480000, "Shell": 300},
        homepage="https://maya.github.io/churn",
        stars=42,
        license="MIT",
        created_at="2021-03-14T09:26:53Z",
        pushed_at="2023-07-02T18:00:00Z",
    )
    code, _, err = run_cli(runner, "github", "import", "maya/Churn_Model")
    assert code == 0, err
    assert "Created projects/churn-model/README.md from maya/Churn_Model" in err
    text = (repo / "projects/churn-model/README.md").read_text()
    import yaml

    front = yaml.safe_load(text.split("---\n")[1])
    assert front["title"] == "Churn Model"
    assert front["summary"] == "Churn prediction with gradient boosting"
    assert front["tags"] == ["machine-learning", "churn"]
    assert front["skills"] == ["Jupyter Notebook", "Python", "Shell"]  # by bytes
    assert front["links"] == {
        "repo": "https://github.com/maya/Churn_Model",
        "homepage": "https://maya.github.io/churn",
    }
    assert front["period"] == {"start": "2021-03", "end": "2023-07"}
    assert front["license"] == "MIT"
    assert "42 stars on GitHub" in front["results"]
    problem = text.split("## Problem\n\n")[1].split("\n\n")[0]
    assert problem == (
        "Predicts which subscribers cancel, from [usage logs]"
        "(https://github.com/maya/Churn_Model/blob/main/docs/logs.md)."
    )
    assert "git clone https://github.com/maya/Churn_Model.git" in text
    assert [f"{r.method} {r.path}" for r in env.requests] == [
        "GET /repos/maya/Churn_Model",
        "GET /repos/maya/Churn_Model/languages",
        "GET /repos/maya/Churn_Model/readme",
    ]
    code, out, _ = run_cli(runner, "check", "--format", "json")
    assert {d["code"] for d in json.loads(out)} == {"SC004"}  # only what a human must write


def test_import_of_a_bare_repository_leaves_only_placeholders(
    env: FakeGitHub, repo: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GITHUB_TOKEN")  # public repositories need no token
    env.add_repo("someone/empty-thing", {})
    code, _, err = run_cli(runner, "github", "import", "someone/empty-thing", "--slug", "bare")
    assert code == 0, err
    text = (repo / "projects/bare/README.md").read_text()
    assert "summary: 'FILL IN:" in text and "tags: []" in text and "skills: []" in text
    assert all("authorization" not in r.headers for r in env.requests)
    code, out, _ = run_cli(runner, "check", "--format", "json")
    found = json.loads(out)
    assert code == 1 and found
    assert {d["code"] for d in found} == {"SC004"}
    assert {d["path"] for d in found} == {"projects/bare/README.md"}


def test_import_never_overwrites(env: FakeGitHub, repo: Path, runner: CliRunner) -> None:
    env.add_repo("maya/churn", {"README.md": "# x\n"})
    folder = write_project(repo, "churn", "mine\n")
    code, _, err = run_cli(runner, "github", "import", "maya/churn")
    assert code == 2 and "projects/churn already exists; nothing was written" in err
    assert (folder / "README.md").read_text() == "mine\n"
    assert env.requests == []  # refused before asking GitHub
    # A project already linking to the repository is not imported twice either.
    project_with_tags(repo, "old-name", ["x"])
    readme = repo / "projects/old-name/README.md"
    readme.write_text(
        readme.read_text().replace(
            "date: 2024-05-01", "date: 2024-05-01\nlinks:\n  repo: https://github.com/Maya/Churn"
        )
    )
    code, _, err = run_cli(runner, "github", "import", "maya/churn", "--slug", "new-name")
    assert code == 2 and "maya/churn is already in projects/old-name" in err
    assert not (repo / "projects/new-name").exists()


def test_import_check_writes_nothing(env: FakeGitHub, repo: Path, runner: CliRunner) -> None:
    env.add_repo("maya/churn", {"README.md": "# x\n"}, description="A model.")
    code, out, _ = run_cli(runner, "github", "import", "maya/churn", "--check", "--diff")
    assert code == 1
    assert "+++ projects/churn/README.md" in out and "+summary: A model." in out
    assert not (repo / "projects/churn").exists()


def test_all_mine_lists_public_non_fork_repositories_not_imported(
    repo: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = FakeGitHub(max_per_page=2)  # force Link pagination
    server.add_user("maya", TOKEN)
    server.add_repo(PORTFOLIO, {"README.md": README}, stars=50)
    server.add_repo("maya/alpha", {}, stars=3, description="Alpha")
    server.add_repo("maya/beta", {}, stars=9)
    server.add_repo("maya/gamma", {}, stars=9)
    server.add_repo("maya/forked", {}, stars=99, fork=True)
    server.add_repo("maya/secret", {}, stars=99, private=True)
    server.add_repo("maya/done", {}, stars=7)
    server.add_repo("other/zeta", {}, stars=100)
    project_with_tags(repo, "done-project", ["x"])
    readme = repo / "projects/done-project/README.md"
    readme.write_text(
        readme.read_text().replace(
            "date: 2024-05-01", "date: 2024-05-01\nlinks:\n  repo: https://github.com/maya/done"
        )
    )
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    monkeypatch.setenv("GITHUB_REPOSITORY", PORTFOLIO)
    with server:
        code, out, err = run_cli(runner, "github", "import", "--all-mine", "--api-url", server.url)
    assert code == 0, err
    assert [line.split()[:2] for line in out.splitlines()] == [
        ["9", "maya/beta"],
        ["9", "maya/gamma"],
        ["3", "maya/alpha"],
    ]
    assert "3 repositories not imported yet" in err
    pages = [r.query.get("page", "1") for r in server.calls("GET", r"^/user/repos$")]
    assert pages == ["1", "2", "3"]  # 6 public repositories of maya, 2 a page, via Link
    assert server.calls("GET", r"^/user/repos$")[0].query["visibility"] == "public"
    assert not (repo / "projects" / "beta").exists()


# -- publish-readme ------------------------------------------------------------------------


def test_publish_readme_commits_only_when_changed(
    env: FakeGitHub, repo: Path, runner: CliRunner
) -> None:
    configure(repo, FAST + 'commit-message = "docs: index refresh"\n')
    project_with_tags(repo, "churn-model", ["ml"])
    original = env.file_sha(PORTFOLIO, "README.md")
    code, _, err = run_cli(runner, "github", "publish-readme")
    assert code == 0, err
    assert "Committed README.md to maya/portfolio@main" in err
    put = env.calls("PUT", r"/contents/README\.md$")
    assert len(put) == 1
    assert put[0].body["sha"] == original and put[0].body["message"] == "docs: index refresh"
    assert put[0].body["branch"] == "main"
    text = env.file(PORTFOLIO, "README.md")
    assert text is not None
    assert "[Churn-Model](projects/churn-model/)" in text
    assert "old generated index" not in text
    assert text.startswith("# Maya Lindqvist\n\nHand-written introduction that only Maya edits.")
    assert text.endswith("\n\nContact: maya@example.org\n")
    # Nothing changed since: no second commit.
    code, _, err = run_cli(runner, "github", "publish-readme")
    assert code == 0 and "README.md on maya/portfolio@main is up to date" in err
    assert len(env.calls("PUT")) == 1


def test_publish_readme_never_overwrites_a_hand_edit_made_meanwhile(
    env: FakeGitHub, repo: Path, runner: CliRunner
) -> None:
    project_with_tags(repo, "churn-model", ["ml"])
    hand = README.replace("Contact: maya@example.org", "Contact: maya@new-domain.org")

    def human_edits(server: FakeGitHub) -> None:
        server.commit_file(PORTFOLIO, "README.md", hand, message="Update contact")

    # Right after our first read, the owner commits on github.com.
    env.after("GET", r"/contents/README\.md$", human_edits)
    stale = env.file_sha(PORTFOLIO, "README.md")
    code, _, err = run_cli(runner, "github", "publish-readme")
    assert code == 0, err
    assert "changed on maya/portfolio@main while publishing (attempt 1 of 5)" in err
    puts = env.calls("PUT", r"/contents/README\.md$")
    assert [p.status for p in puts] == [409, 200]
    assert puts[0].body["sha"] == stale
    assert puts[1].body["sha"] == blob_sha(hand.encode())  # re-read before the second write
    final = env.file(PORTFOLIO, "README.md")
    assert final is not None
    assert "Contact: maya@new-domain.org" in final  # the hand edit survived
    assert "[Churn-Model](projects/churn-model/)" in final
    assert [r.method for r in env.requests].count("GET") >= 3


def test_publish_readme_gives_up_when_the_readme_keeps_changing(
    env: FakeGitHub, repo: Path, runner: CliRunner
) -> None:
    configure(repo, FAST + "readme-attempts = 3\n")
    project_with_tags(repo, "churn-model", ["ml"])
    edits = iter(range(100))

    def human_edits(server: FakeGitHub) -> None:
        server.commit_file(PORTFOLIO, "README.md", README + f"\nedit {next(edits)}\n")

    env.after("GET", r"/contents/README\.md$", human_edits, times=100)
    code, _, err = run_cli(runner, "github", "publish-readme")
    assert code == 2
    assert err.strip().splitlines()[-1] == (
        "folio: error: README.md on maya/portfolio@main kept changing; gave up after 3 "
        "attempts and overwrote nothing: run it again"
    )
    assert [p.status for p in env.calls("PUT")] == [409, 409, 409]
    assert env.file(PORTFOLIO, "README.md") == README + "\nedit 2\n"


@pytest.mark.parametrize("style", ["ruleset", "classic"])
def test_publish_readme_opens_then_updates_a_pull_request_on_a_protected_branch(
    env: FakeGitHub, repo: Path, runner: CliRunner, style: str
) -> None:
    env.repo(PORTFOLIO).protected["main"] = style
    project_with_tags(repo, "churn-model", ["ml"])
    main_before = env.repo(PORTFOLIO).branches["main"]
    code, _, err = run_cli(runner, "github", "publish-readme")
    assert code == 0, err
    assert "main is protected" in err and "opened pull request #1" in err
    assert "https://github.com/maya/portfolio/pull/1" in err
    state = env.repo(PORTFOLIO)
    assert state.branches["main"] == main_before  # nothing forced onto main
    assert env.file(PORTFOLIO, "README.md") == README
    proposed = env.file(PORTFOLIO, "README.md", branch="folio/readme-index")
    assert proposed is not None and "[Churn-Model](projects/churn-model/)" in proposed
    assert [(p.number, p.head, p.base, p.state) for p in state.pulls] == [
        (1, "folio/readme-index", "main", "open")
    ]
    # The pull request must run the required checks: no "[skip ci]" in its commit or title.
    branch_put = env.calls("PUT", r"/contents/README\.md$")[-1]
    assert branch_put.body["branch"] == "folio/readme-index"
    assert branch_put.body["message"] == "docs: regenerate the README project index"
    assert state.pulls[0].title == "docs: regenerate the README project index"
    # A new project: the same pull request is updated, not a second one opened.
    project_with_tags(repo, "forecast", ["time-series"])
    code, _, err = run_cli(runner, "github", "publish-readme")
    assert code == 0 and "updated pull request #1" in err, err
    assert len(state.pulls) == 1
    proposed = env.file(PORTFOLIO, "README.md", branch="folio/readme-index")
    assert proposed is not None and "[Forecast](projects/forecast/)" in proposed
    assert env.calls("PATCH", r"/git/refs/heads/folio/readme-index$")  # reset to main first


def test_publish_readme_check_and_diff_write_nothing(
    env: FakeGitHub, repo: Path, runner: CliRunner
) -> None:
    project_with_tags(repo, "churn-model", ["ml"])
    code, out, err = run_cli(runner, "github", "publish-readme", "--check", "--diff")
    assert code == 1 and "README.md on maya/portfolio@main would change" in err
    assert "-old generated index" in out and "+| **[Churn-Model]" in out
    assert writes(env) == []


PROJECTS_ONLY = """\
# Maya Lindqvist

My own words, and only the project index: no journal here.

<!-- folio:projects:start -->
<!-- folio:projects:end -->

Contact: maya@example.org
"""


def test_publish_readme_with_only_the_projects_region(
    env: FakeGitHub, repo: Path, runner: CliRunner
) -> None:
    env.commit_file(PORTFOLIO, "README.md", PROJECTS_ONLY)
    project_with_tags(repo, "churn-model", ["ml"])
    # a journal with entries, and journal-entries at its default: still nothing is missing
    posts = repo / "docs" / "journal" / "posts"
    posts.mkdir(parents=True)
    (posts / "2026-11-20.md").write_text(
        "---\ndate: 2026-11-20\n---\n\n# A day\n\nRead a paper.\n", encoding="utf-8"
    )
    code, _, err = run_cli(runner, "github", "publish-readme")
    assert code == 0, err
    assert "Committed README.md to maya/portfolio@main" in err
    text = env.file(PORTFOLIO, "README.md")
    assert text is not None
    head, rest = PROJECTS_ONLY.split("<!-- folio:projects:start -->\n")
    _, tail = rest.split("<!-- folio:projects:end -->\n")
    assert text.startswith(head + "<!-- folio:projects:start -->\n| Project |")
    assert "[Churn-Model](projects/churn-model/)" in text
    assert text.endswith("<!-- folio:projects:end -->\n" + tail)
    assert "Read a paper" not in text and "folio:journal" not in text
    assert len(env.calls("PUT", r"/contents/README\.md$")) == 1
    code, _, err = run_cli(runner, "github", "publish-readme")
    assert code == 0 and "is up to date" in err
    assert len(env.calls("PUT")) == 1


def test_publish_readme_without_markers_is_a_one_line_error(
    env: FakeGitHub, repo: Path, runner: CliRunner
) -> None:
    env.commit_file(PORTFOLIO, "README.md", "# Just prose\n")
    code, _, err = run_cli(runner, "github", "publish-readme")
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert "maya/portfolio@main: README.md:" in err and "region" in err
    assert writes(env) == []


def test_publish_readme_when_github_has_no_readme(env: FakeGitHub, runner: CliRunner) -> None:
    env.add_repo("maya/fresh", {"notes.txt": "x\n"})
    code, _, err = run_cli(runner, "github", "publish-readme", "--repo", "maya/fresh")
    assert code == 2
    assert one_error_line(err) == (
        "folio: error: README.md not found on maya/fresh@main: commit it once by hand first"
    )
    assert writes(env) == []


# -- errors, retries, the token ------------------------------------------------------------


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


def test_bad_token_is_a_one_line_401(
    env: FakeGitHub, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_wrong")
    code, _, err = run_cli(runner, "github", "sync")
    assert code == 2
    assert one_error_line(err) == (
        "folio: error: GitHub refused the token (401 Bad credentials) while reading "
        "maya/portfolio: check GITHUB_TOKEN or GH_TOKEN"
    )
    assert len(env.requests) == 1  # a 401 is not retried


def test_read_only_token_is_a_one_line_403(
    env: FakeGitHub, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    env.add_user("reader", "ghp_readonly", can_write=False)
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_readonly")
    code, _, err = run_cli(runner, "github", "sync")
    line = one_error_line(err)
    assert code == 2
    assert line.startswith("folio: error: GitHub refused access (403: Resource not accessible")
    assert "while updating maya/portfolio" in line
    assert len(env.calls("PATCH")) == 1 and env.repo(PORTFOLIO).description == "old words"


def test_missing_repository_is_a_one_line_404(env: FakeGitHub, runner: CliRunner) -> None:
    code, _, err = run_cli(runner, "github", "import", "maya/nope")
    assert code == 2
    assert one_error_line(err) == (
        "folio: error: not found (404) while reading maya/nope: check the name, and that the "
        "token can see the repository"
    )


def test_writing_without_a_token_is_refused_before_any_request(
    env: FakeGitHub, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GITHUB_TOKEN")
    code, _, err = run_cli(runner, "github", "publish-readme")
    assert code == 2 and "needs a token: set GITHUB_TOKEN or GH_TOKEN" in one_error_line(err)
    assert env.requests == []


def test_an_answer_that_is_not_githubs_is_a_one_line_error(
    env: FakeGitHub, runner: CliRunner
) -> None:
    env.fail("GET", r"^/repos/", 200, times=5, body={"html": "<p>captive portal</p>"})
    code, _, err = run_cli(runner, "github", "sync", "--dry-run")
    assert code == 2
    assert one_error_line(err) == (
        f"folio: error: unexpected answer from {env.url} while reading maya/portfolio: is it "
        "a GitHub API root (https://api.github.com, https://HOST/api/v3)?"
    )


def test_unreachable_host_is_a_one_line_error(
    repo: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    configure(repo, FAST)
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    url = f"http://127.0.0.1:{closed_port()}/api/v3"
    code, _, err = run_cli(runner, "github", "sync", "--repo", PORTFOLIO, "--api-url", url)
    assert code == 2
    assert one_error_line(err) == (
        f"folio: error: cannot reach GitHub at {url}: connection refused (reading maya/portfolio)"
    )


def test_secondary_rate_limit_waits_for_retry_after(env: FakeGitHub, runner: CliRunner) -> None:
    env.secondary_rate_limit("GET", r"^/repos/maya/portfolio$", retry_after=1)
    code, _, err = run_cli(runner, "github", "sync", "--dry-run")
    assert code == 0, err
    first, second = env.calls("GET", r"^/repos/maya/portfolio$")[:2]
    assert (first.status, second.status) == (429, 200)
    assert second.at - first.at >= 0.9  # it honoured Retry-After: 1


def test_a_retry_after_longer_than_max_wait_fails_at_once(
    env: FakeGitHub, runner: CliRunner
) -> None:
    env.secondary_rate_limit("GET", r"^/repos/", status=403, retry_after=3600, times=5)
    code, _, err = run_cli(runner, "github", "sync", "--dry-run")
    assert code == 2
    assert one_error_line(err) == (
        "folio: error: GitHub rate limit reached (403) while reading maya/portfolio: it asks "
        "to wait 3600 s, more than the 5 s this command waits; try again later"
    )
    assert len(env.requests) == 1


def test_primary_rate_limit_reports_the_reset_time(env: FakeGitHub, runner: CliRunner) -> None:
    env.primary_rate_limit("GET", r"^/repos/", reset_in=3000, times=5)
    code, _, err = run_cli(runner, "github", "import", "maya/portfolio")
    line = one_error_line(err)
    assert code == 2
    assert (
        "GitHub rate limit reached (403) while reading maya/portfolio: the limit resets at" in line
    )
    assert line.endswith("UTC; try again then")
    assert len(env.requests) == 1


def test_a_429_at_zero_remaining_waits_for_the_reset_or_reports_it(
    env: FakeGitHub, runner: CliRunner
) -> None:
    import time

    reset = str(int(time.time()) + 3000)
    env.fail(
        "GET",
        r"^/repos/",
        429,
        times=5,
        body={"message": "API rate limit exceeded"},
        headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset},
    )
    code, _, err = run_cli(runner, "github", "sync", "--dry-run")
    line = one_error_line(err)
    assert code == 2 and "GitHub rate limit reached (429)" in line and "resets at" in line
    assert len(env.requests) == 1  # an hour's wait is not made


def test_a_near_rate_limit_reset_is_waited_for(env: FakeGitHub, runner: CliRunner) -> None:
    env.primary_rate_limit("GET", r"^/repos/maya/portfolio$", reset_in=1)
    code, _, err = run_cli(runner, "github", "sync", "--dry-run")
    assert code == 0, err
    first, second = env.calls("GET", r"^/repos/maya/portfolio$")[:2]
    assert (first.status, second.status) == (403, 200)
    assert second.at - first.at >= 1.0  # waited for X-RateLimit-Reset, not a blind retry


def test_a_rate_limited_write_is_retried_after_retry_after(
    env: FakeGitHub, repo: Path, runner: CliRunner
) -> None:
    configure(repo, FAST, head='headline = "New words"\n')
    env.secondary_rate_limit("PATCH", r"^/repos/maya/portfolio$", status=403, retry_after=1)
    code, _, err = run_cli(runner, "github", "sync")
    assert code == 0, err
    assert [p.status for p in env.calls("PATCH")] == [403, 200]
    assert env.repo(PORTFOLIO).description == "New words"


def test_server_errors_are_retried_a_bounded_number_of_times(
    env: FakeGitHub, runner: CliRunner
) -> None:
    env.fail("GET", r"^/repos/maya/portfolio$", 502, times=50, body={"message": "Bad Gateway"})
    code, _, err = run_cli(runner, "github", "sync", "--dry-run")
    assert code == 2
    assert one_error_line(err) == (
        "folio: error: GitHub failed (502: Bad Gateway) while reading maya/portfolio; try later"
    )
    assert len(env.requests) == 3  # retries = 2


def test_total_retry_time_is_bounded(env: FakeGitHub, repo: Path, runner: CliRunner) -> None:
    configure(repo, "[tool.folio.github]\nretries = 10\nmax-wait = 5\nbudget = 2\n")
    env.secondary_rate_limit("GET", r"^/repos/", retry_after=1, times=50)
    code, _, err = run_cli(runner, "github", "sync", "--dry-run")
    assert code == 2 and one_error_line(err).endswith(
        "GitHub rate limit reached (429) while reading maya/portfolio: still limited after "
        "10 retries or 2 s; try again later"
    )
    assert 2 <= len(env.requests) <= 3  # the 2 s budget, not the 10 retries, stopped it


def test_the_token_never_appears_in_any_output(
    env: FakeGitHub,
    repo: Path,
    runner: CliRunner,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    caplog.set_level(logging.DEBUG)  # PyGithub, urllib3 and ours, at their most talkative
    project_with_tags(repo, "churn-model", ["ml"])
    env.add_repo("maya/churn", {"README.md": "# Churn\n\nA model of churn for a shop.\n"})
    # A misbehaving proxy that echoes the credentials back in its error body.
    env.fail(
        "PATCH",
        r"^/repos/maya/portfolio$",
        500,
        times=50,
        body=lambda req: {"message": f"upstream rejected {req.headers['authorization']}"},
    )
    env.fail(
        "GET",
        r"^/repos/maya/gone$",
        401,
        times=5,
        body=lambda req: {"message": f"Bad credentials: {req.headers['authorization']}"},
    )
    outputs: list[str] = []
    for args in (
        ["github", "sync", "--dry-run"],
        ["github", "sync"],  # 500 with the token in the body
        ["github", "import", "maya/churn"],
        ["github", "import", "maya/gone"],  # 401 with the token in the body
        ["github", "import", "--all-mine"],
        ["github", "publish-readme", "--diff"],
        ["github", "sync", "--api-url", f"http://127.0.0.1:{closed_port()}/api/v3"],
    ):
        result = runner.invoke(main, args)
        assert result.exception is None or isinstance(result.exception, SystemExit), args
        outputs += [result.stdout, result.stderr]
    assert any("upstream rejected token ***" in o for o in outputs)  # scrubbed, not dropped
    # The same through a real process, whose stderr would show any stray warning or log.
    proc = subprocess.run(
        [sys.executable, "-m", "repofolio", "github", "import", "maya/gone"],
        cwd=repo,
        capture_output=True,
        text=True,
        env={**os.environ},
        timeout=60,
    )
    outputs += [proc.stdout, proc.stderr]
    assert proc.returncode == 2
    everything = "\n".join(outputs) + caplog.text
    assert TOKEN not in everything
    assert TOKEN[4:20] not in everything
    # ...while the server did receive it, so the test means something.
    assert all(r.headers.get("authorization") == f"token {TOKEN}" for r in env.requests)


def test_github_help_for_every_command(runner: CliRunner) -> None:
    for args in (
        ["github"],
        ["github", "sync"],
        ["github", "import"],
        ["github", "publish-readme"],
    ):
        code, out, _ = run_cli(runner, *args, "--help")
        assert code == 0 and "Examples:" in out and " github" in out.splitlines()[0]
