"""Shared fixtures: real git repositories in tmp_path, written projects, the CLI runner."""

from __future__ import annotations

import json
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
    """The user's data directory (the pipeline's default store) and cache directory (the
    compiled code of codecache) are never the real ones."""
    before = {name: os.environ.get(name) for name in ("XDG_DATA_HOME", "XDG_CACHE_HOME")}
    os.environ["XDG_DATA_HOME"] = str(tmp_path_factory.mktemp("xdg-data"))
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg-cache"))
    yield
    for name, value in before.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


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
    yield make_new_user_repo(tmp_path, monkeypatch)


def make_new_user_repo(base: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """:func:`new_user_repo` in ``base`` (``base/jane-portfolio``), for a fixture of any scope
    (``pytest.MonkeyPatch.context()`` in a module's): the environment it sets, ``HOME`` and
    git's identity, stays set while ``monkeypatch`` does."""
    root = base / "jane-portfolio"
    root.mkdir()
    for key, value in GIT_ENV.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("HOME", str(base))
    monkeypatch.setenv("XDG_DATA_HOME", str(base / "data"))  # the pipeline's store: per test
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
    return root


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


# -- one project of each kind ------------------------------------------------------------------

KIND_BODIES = {
    "research": "# {title}\n\n## Problem\n\nClassifiers promise 90% coverage and deliver 85%.\n\n"
    "## Approach\n\nSplit conformal prediction over 100 random splits of three datasets.\n\n"
    "## Results\n\nCoverage 0.90 (target 0.90) against 0.85 for raw probabilities; the "
    "thesis is [the PDF](thesis.pdf).\n",
    "no-code": "# {title}\n\n## Problem\n\nA student society needed a GPU box for 12 members "
    "on a 900 EUR budget.\n\n## What I did\n\nChose the parts, built it, set up the drivers "
    "and a booking sheet.\n\n## Results\n\n6 GPUs at 83% utilisation over 14 months.\n",
    "snippet": "# {title}\n\n## What it does\n\nDownloads 3 chapters of a public-domain "
    "e-book into one text file.\n\n## Code\n\n`{file}`, beside this page, is the whole of it.\n",
}
NOTEBOOK_JSON = """{
 "cells": [
  {"cell_type": "markdown", "id": "a1", "metadata": {}, "source": ["# Sales by month"]},
  {"cell_type": "code", "execution_count": 1, "id": "a2", "metadata": {}, "outputs": [
    {"name": "stdout", "output_type": "stream", "text": ["total 42\\n"]}],
   "source": ["sales = [10, 12, 20]\\n", "print('total', sum(sales))"]}
 ],
 "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python",
  "name": "python3"}, "language_info": {"name": "python"}},
 "nbformat": 4, "nbformat_minor": 5
}
"""
RUNS = ("churn-model", "sales-notebook", "csv-dedupe")  # what a plain `folio run` runs
NOTHING_TO_RUN = ("msc-thesis", "mining-rig", "ebook-scraper", "old-script")


def write_each_kind(repo: Path) -> None:
    """One project of each kind a job seeker has, as the owner fills them in, and two variants:
    a snippet with a ``run:`` and code without one. Something runs in :data:`RUNS` only."""
    write_project(
        repo,
        "churn-model",
        good_readme("Churn model", "run: python main.py\n"),
        {"main.py": "print('ROC AUC 0.91')\n"},
    )
    write_project(
        repo,
        "sales-notebook",
        good_readme("Sales notebook", "kind: notebook\n"),
        {"notebooks/sales.ipynb": NOTEBOOK_JSON},
    )
    write_project(
        repo,
        "msc-thesis",
        good_readme(
            "MSc thesis",
            "kind: research\n",
            body=KIND_BODIES["research"].format(title="MSc thesis"),
        ),
        {"thesis.pdf": b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"},
    )
    write_project(
        repo,
        "mining-rig",
        good_readme(
            "GPU rig for a student society",
            "kind: no-code\n",
            body=KIND_BODIES["no-code"].format(title="GPU rig for a student society"),
        ),
    )
    scraper = "import sys\n\n\ndef main() -> int:\n    print('3 chapters')\n    return 0\n\n\n"
    scraper += 'if __name__ == "__main__":\n    sys.exit(main())\n'
    write_project(
        repo,
        "ebook-scraper",
        good_readme(
            "E-book scraper",
            "kind: snippet\n",
            body=KIND_BODIES["snippet"].format(title="E-book scraper", file="scrape.py"),
        ),
        {"scrape.py": scraper},
    )
    write_project(
        repo,
        "csv-dedupe",
        good_readme(
            "CSV dedupe",
            "kind: snippet\nrun: python dedupe.py\n",
            body=KIND_BODIES["snippet"].format(title="CSV dedupe", file="dedupe.py"),
        ),
        {"dedupe.py": "rows = ['a', 'b', 'a']\nprint(len(set(rows)), 'unique rows')\n"},
    )
    write_project(
        repo,
        "old-script",
        good_readme("Old script"),
        {"script.py": "print('from 2019')\n"},
    )


def folio_build_strict(root: Path, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    """``folio build --strict`` in ``root``, in a process of its own: mkdocs keeps plugin
    instances per process (its plugin_cache), and Material's blog plugin removes its temp
    folder at the first shutdown, so a second in-process build fails in on_shutdown
    (reported to the site's owner; not ours to patch)."""
    return subprocess.run(
        [sys.executable, "-m", "repofolio", "build", "--strict"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


# Jane's cv.yaml: her thesis points at the research project msc-thesis, an award at its page, a
# certification at a file (certificates/aws-ml.pdf). Line numbers matter: the tests of
# tests/resume/file_links_test.py name them.
THESIS_CV = """\
name: Jane Doe
headline: Data scientist moving into ML engineering
links:
  github: https://github.com/jane-doe
education:
  - institution: Uppsala University
    degree: MSc
    area: Machine Learning
    period: {start: 2021-08, end: 2023-06}
    thesis:
      title: Conformal prediction for reliable classification
      project: msc-thesis
      result: sets hold 90% coverage where raw probabilities give 85%
awards:
  - name: Best thesis award, 1 of 40 theses
    issuer: Uppsala University
    date: 2023-09
    project: msc-thesis
certifications:
  - name: AWS Certified Machine Learning - Specialty
    issuer: Amazon Web Services
    date: 2024-11
    file: certificates/aws-ml.pdf
skills:
  - {label: ML, items: [Python, scikit-learn]}
"""


# -- real PDFs -----------------------------------------------------------------------------------


def typst_pdf(title: str, pages: int = 1, width: str = "21cm", height: str = "29.7cm") -> bytes:
    """A real PDF made by Typst (its bundled fonts only): a title page, then ``pages - 1``
    more; as a thesis or a certificate of a test portfolio."""
    import typst

    body = [
        f'#set page(width: {width}, height: {height}, fill: rgb("#fbfaf5"))',
        '#set text(font: "Libertinus Serif", size: 14pt)',
        '#align(center + horizon)[#text(size: 30pt, weight: "bold", fill: rgb("#1d4467"),'
        f" {json.dumps(title)})]",
    ]
    body += [f"#pagebreak()\nPage {n + 2}." for n in range(pages - 1)]
    data: bytes = typst.compile("\n".join(body).encode("utf-8"), ignore_system_fonts=True)
    return data


def pdf_links(data: bytes) -> list[str]:
    """The target of every link annotation on every page of the PDF (pypdf)."""
    import io

    from pypdf import PdfReader

    out: list[str] = []
    for page in PdfReader(io.BytesIO(data)).pages:
        for ref in page.get("/Annots") or []:
            annot = ref.get_object()
            if annot.get("/Subtype") != "/Link":
                continue
            action = annot.get("/A")
            action = action.get_object() if action is not None else None
            assert action is not None and action.get("/S") == "/URI", annot  # no GoTo, no file
            out.append(str(action["/URI"]))
    return out
