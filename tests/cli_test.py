"""Guards on the CLI as a whole: help on every command, fast imports, no tracebacks."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from conftest import folio_importtime, good_readme, write_project
from repofolio.cli import main

HEAVY = (
    "nbconvert",
    "nbformat",
    "github",
    "mkdocs",
    "rich",
    "jinja2",
    "typst",
    "nbclient",
    "platformdirs",  # the pipeline's store: folio check only asks git about its file name
)


def commands(group: click.Group, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    for name, cmd in sorted(group.commands.items()):
        yield (*prefix, name)
        if isinstance(cmd, click.Group):
            yield from commands(cmd, (*prefix, name))


ALL = list(commands(main))


@pytest.mark.parametrize("path", ALL, ids=[" ".join(p) for p in ALL])
def test_help(path: tuple[str, ...], runner: CliRunner) -> None:
    result = runner.invoke(main, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Usage: ")
    cmd: click.Command = main
    for part in path:
        assert isinstance(cmd, click.Group)
        cmd = cmd.commands[part]
    if not isinstance(cmd, click.Group):
        assert "Example" in result.output, f"folio {' '.join(path)} --help has no examples"


def test_version(runner: CliRunner) -> None:
    from repofolio import __version__

    result = runner.invoke(main, ["--version"])
    assert result.exit_code == 0 and __version__ in result.output


@pytest.mark.parametrize("valid", [True, False], ids=["valid", "schema-errors"])
def test_check_imports_nothing_heavy(repo: Path, valid: bool) -> None:
    readme = good_readme()
    if not valid:  # the error path too: a bad value and an unknown key
        readme = readme.replace("date: 2024-05-01", "date: March\nsumary: typo", 1)
        assert "sumary" in readme
    write_project(repo, "churn-model", readme)
    proc, imported = folio_importtime(repo, "check", timeout=60)
    assert proc.returncode == (0 if valid else 1), proc.stderr[-2000:]
    heavy = sorted(m for m in imported if m.split(".")[0] in HEAVY)
    assert heavy == []
    # pydantic itself (~80 ms: the check runs its compiled schema on pydantic-core); the
    # others serve writing, ruff and --format json only
    slow = {"pydantic", "importlib.metadata", "shutil", "tempfile", "json"}
    assert sorted(slow & imported) == []
    assert "pydantic_core" in imported  # the probe sees the validator's import at all
    assert ("difflib" in imported) is not valid  # only to word an unknown key's hint


def test_python_m_repofolio(repo: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "repofolio", "--help"], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0 and "Usage: folio" in proc.stdout


def test_unknown_command_is_usage_error(runner: CliRunner) -> None:
    result = runner.invoke(main, ["nope"])
    assert result.exit_code == 2 and "No such command" in result.output
