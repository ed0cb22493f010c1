"""Shared fixtures: real git repositories in tmp_path, written projects, the CLI runner."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from repofolio.cli import main

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test Author",
    "GIT_AUTHOR_EMAIL": "author@example.org",
    "GIT_COMMITTER_NAME": "Test Author",
    "GIT_COMMITTER_EMAIL": "author@example.org",
    "GIT_AUTHOR_DATE": "2026-01-01T00:00:00Z",
    "GIT_COMMITTER_DATE": "2026-01-01T00:00:00Z",
    "GIT_CONFIG_NOSYSTEM": "1",
}

GOOD_FRONT = """\
title: {title}
summary: Predicts which customers cancel next month from 18 months of usage logs.
date: 2024-05-01
tags: [ml, churn]
skills: [Python, scikit-learn]
links:
  repo: https://github.com/example/churn
results:
  - ROC AUC 0.91 against 0.84 for the rules baseline
"""

GOOD_BODY = """\
# {title}

## Problem

A subscription business lost 4% of customers a month and could not say who was next.

## Approach

Gradient boosting on 42 usage features, validated on a time-based split.

## Results

| metric | baseline | model |
| --- | ---: | ---: |
| ROC AUC | 0.84 | 0.91 |

## How to run

```bash
python -m churn.train data/sample.csv
```
"""


def good_readme(title: str = "Churn model", front_extra: str = "", body: str | None = None) -> str:
    front = GOOD_FRONT.format(title=title) + front_extra
    return f"---\n{front}---\n\n" + (body if body is not None else GOOD_BODY.format(title=title))


def venv_tool(name: str) -> str | None:
    """A console script of this test environment: next to ``sys.executable`` (the README's
    test command never activates the venv, so its ``bin/`` is not on ``PATH``), else on PATH."""
    beside = Path(sys.executable).with_name(name)
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which(name)


@pytest.fixture(scope="session", autouse=True)
def private_data_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The user's data directory (the pipeline's default store) is never the real one."""
    before = os.environ.get("XDG_DATA_HOME")
    os.environ["XDG_DATA_HOME"] = str(tmp_path_factory.mktemp("xdg-data"))
    yield
    if before is None:
        os.environ.pop("XDG_DATA_HOME", None)
    else:
        os.environ["XDG_DATA_HOME"] = before


def git(repo: Path, *args: str) -> str:
    env = {**os.environ, **GIT_ENV, "HOME": str(repo.parent)}
    return subprocess.run(
        ["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True
    ).stdout


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty portfolio: a real git repository with a pyproject.toml holding [tool.folio]."""
    root = tmp_path / "portfolio"
    root.mkdir()
    for key, value in GIT_ENV.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))  # the pipeline's store: per test
    git(root, "init", "-q", "-b", "main")
    (root / "pyproject.toml").write_text('[tool.folio]\nowner = "Test Owner"\n', encoding="utf-8")
    (root / "projects").mkdir()
    monkeypatch.chdir(root)
    yield root


NEW_USER_README = """\
# Jane Doe

Hi! I am Jane, a data scientist moving into ML engineering. This repository collects my
projects and notes from my job search.

July 3rd, Monday: Today I looked around for a few companies and positions.
"""


@pytest.fixture
def new_user_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A repository made the way a newcomer makes one: ``git init``, a README of their own,
    an ``origin`` remote on GitHub, one commit, then ``folio init --owner --headline``.

    The example portfolio of this repository is one user among many: feature tests run here
    too. Nothing of this repository (its mkdocs.yml, overrides, docs) is copied in.
    """
    root = tmp_path / "jane-portfolio"
    root.mkdir()
    for key, value in GIT_ENV.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))  # the pipeline's store: per test
    git(root, "init", "-q", "-b", "main")
    git(root, "remote", "add", "origin", "https://github.com/jane-doe/portfolio.git")
    (root / "README.md").write_text(NEW_USER_README, encoding="utf-8")
    commit(root, "my README")
    monkeypatch.chdir(root)
    result = CliRunner().invoke(
        main,
        [
            "init",
            "--owner",
            "Jane Doe",
            "--headline",
            "Data scientist moving into ML engineering: forecasting and NLP",
        ],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.stderr
    commit(root, "folio init")
    yield root


def write_project(
    repo: Path,
    slug: str,
    readme: str | bytes | None = None,
    files: dict[str, str | bytes] | None = None,
) -> Path:
    folder = repo / "projects" / slug
    folder.mkdir(parents=True, exist_ok=True)
    if readme is None:
        readme = good_readme(slug.replace("-", " ").title())
    if isinstance(readme, bytes):
        (folder / "README.md").write_bytes(readme)
    else:
        (folder / "README.md").write_text(textwrap.dedent(readme), encoding="utf-8", newline="")
    for name, content in (files or {}).items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return folder


def commit(repo: Path, message: str = "test") -> None:
    git(repo, "add", "-A")
    git(repo, "-c", "commit.gpgsign=false", "commit", "-q", "-m", message)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def run_cli(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def imported_modules(stderr: str) -> set[str]:
    """The modules a ``python -X importtime`` run reported on stderr."""
    return {
        line.split("|")[-1].strip()
        for line in stderr.splitlines()
        if line.startswith("import time:")
    }


def folio_importtime(
    cwd: Path, *args: str, timeout: float = 120
) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    """Run ``python -X importtime -m repofolio ARGS`` in ``cwd``: the process, what it imported."""
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "repofolio", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return proc, imported_modules(proc.stderr)
