"""RN001: code that no `run:` proves."""

from __future__ import annotations

from pathlib import Path

import nbformat
from click.testing import CliRunner
from conftest import commit, good_readme, run_cli, write_project
from nbformat.v4 import new_notebook


def project(repo: Path, slug: str, front: str, files: dict[str, str | bytes] | None = None) -> Path:
    title = slug.replace("-", " ").title()
    return write_project(repo, slug, good_readme(title, front_extra=front), files)


def test_rn001_warns_for_code_without_run(repo: Path, runner: CliRunner) -> None:
    project(
        repo,
        "has-code",
        "",
        {"src/model.py": "x = 1\n", "eda.ipynb": nbformat.writes(new_notebook())},
    )
    project(repo, "has-run", "run: python -V\n", {"main.py": "x = 1\n"})
    project(repo, "no-code", "", {"data.csv": "a,b\n"})
    commit(repo)
    code, out, _ = run_cli(runner, "check", "--select", "RN")
    assert code == 0  # a warning
    lines = out.splitlines()
    assert lines == [
        "projects/has-code/README.md:1:1: RN001 project has code (1 .py file, 1 notebook) but "
        "no 'run:' in its front matter; add the command that proves it runs (folio run)"
    ]
    assert not (repo / ".folio-cache").exists()
