"""Shared by the tests of tests/runner: projects in a real repository, one env folder a session.

Environments go into one folder per test session (a second test reuses what the first built,
as a second `folio run` does). Installs are offline: requirement files say ``--no-index`` and
name a wheel :func:`tiny_wheel` builds; only the notebook kernel (ipykernel) and the example
projects' requirements come from the machine's pip index.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import nbformat
import pytest
from click.testing import CliRunner
from conftest import good_readme, run_cli, write_project
from nbformat.v4 import new_code_cell, new_output

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def env_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("folio-envs")


def use_envs(repo: Path, env_dir: Path, extra: str = "") -> None:
    (repo / "pyproject.toml").write_text(
        f'[tool.folio]\nowner = "Test Owner"\n\n[tool.folio.run]\nenv-dir = "{env_dir}"\n{extra}',
        encoding="utf-8",
    )


def project(repo: Path, slug: str, front: str, files: dict[str, str | bytes] | None = None) -> Path:
    title = slug.replace("-", " ").title()
    return write_project(repo, slug, good_readme(title, front_extra=front), files)


def run_json(runner: CliRunner, *args: str) -> tuple[int, dict[str, dict[str, object]], str]:
    code, out, err = run_cli(runner, "run", "--format", "json", *args)
    return code, json.loads(out), err


def tiny_wheel(folder: Path, value: str = "42") -> str:
    """A pure-Python wheel written by hand, so pip installs it with --no-index."""
    name = "tinyfolio-0.1-py3-none-any.whl"
    with zipfile.ZipFile(folder / name, "w") as zf:
        zf.writestr("tinyfolio/__init__.py", f"VALUE = {value}\n")
        zf.writestr(
            "tinyfolio-0.1.dist-info/METADATA",
            "Metadata-Version: 2.1\nName: tinyfolio\nVersion: 0.1\n",
        )
        zf.writestr(
            "tinyfolio-0.1.dist-info/WHEEL",
            "Wheel-Version: 1.0\nGenerator: run_test\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
        )
        zf.writestr(
            "tinyfolio-0.1.dist-info/RECORD",
            "tinyfolio/__init__.py,,\ntinyfolio-0.1.dist-info/METADATA,,\n"
            "tinyfolio-0.1.dist-info/WHEEL,,\ntinyfolio-0.1.dist-info/RECORD,,\n",
        )
    return name


def process_gone(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return True
    return "State:\tZ" in status  # a zombie waiting for init to reap it is dead


def compare_cell(source: str, text: str) -> nbformat.NotebookNode:
    cell = new_code_cell(source, outputs=[new_output("stream", name="stdout", text=text)])
    cell.metadata["tags"] = ["folio:compare"]
    return cell
