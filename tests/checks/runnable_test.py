"""RN001: code that no `run:` proves."""

from __future__ import annotations

from pathlib import Path

import nbformat
from click.testing import CliRunner
from conftest import NOTEBOOK_JSON, commit, good_readme, run_cli, write_project
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


def test_rn002_warns_for_a_requirements_file_folio_run_would_not_install(
    new_user_repo: Path, runner: CliRunner
) -> None:
    """A new user writes requirements.txt beside a scaffolded write-up: without
    `requirements:` folio run builds a bare environment and the notebook fails on
    `import numpy`. folio check says so first (a warning), for what runs only."""
    root = new_user_repo
    for slug, kind in (("ctr-notebook", "notebook"), ("ranker", "code"), ("thesis", "research")):
        code, _, err = run_cli(runner, "new", slug, "--kind", kind)
        assert code == 0, err
        (root / "projects" / slug / "requirements.txt").write_text("numpy\n", encoding="utf-8")
    (root / "projects/ctr-notebook/ctr.ipynb").write_text(NOTEBOOK_JSON, encoding="utf-8")
    ranker = root / "projects/ranker/README.md"
    text = ranker.read_text(encoding="utf-8")
    ranker.write_text(text.replace("\ntags: []", "\nrun: python -m pytest -q\ntags: []"))
    (root / "projects/ranker/rank.py").write_text("print(1)\n", encoding="utf-8")
    commit(root, "three projects, each with a requirements.txt")
    code, out, _ = run_cli(runner, "check", "--select", "RN")
    assert code == 0, out  # a warning
    expected = (
        "'requirements.txt' is beside the write-up but not in its front matter: folio run "
        "installs only what 'requirements:' names (add requirements: requirements.txt)"
    )
    assert out.splitlines() == [  # the thesis runs nothing: its file is nobody's concern
        f"projects/ctr-notebook/README.md:1:1: RN002 {expected}",
        f"projects/ranker/README.md:10:1: RN002 {expected}",  # at its run:
    ]
    # declared: no warning, and the file is the one folio run installs
    for slug in ("ctr-notebook", "ranker"):
        readme = root / "projects" / slug / "README.md"
        text = readme.read_text(encoding="utf-8")
        readme.write_text(text.replace("\ntags: []", "\nrequirements: requirements.txt\ntags: []"))
    code, out, _ = run_cli(runner, "check", "--select", "RN")
    assert (code, out) == (0, "")
