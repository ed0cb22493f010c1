"""Guards on the CLI as a whole: help on every command, fast imports, no tracebacks."""

from __future__ import annotations

import os
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
    "PIL",  # social cards and PDF covers: only the site draws them
    "pypdfium2",
    "pypdf",
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
    # the validator's compiled module is loaded alone (pydcore), not the package's TypedDicts
    assert "repofolio.pydcore" in imported  # the probe sees the validator's import at all
    assert "pydantic_core.core_schema" not in imported
    assert ("difflib" in imported) is not valid  # only to word an unknown key's hint


def test_python_m_repofolio(repo: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "repofolio", "--help"], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0 and "Usage: folio" in proc.stdout


@pytest.mark.parametrize("switch", ["", "0"], ids=["frozen", "as-python-does"])
def test_the_executable_exits_with_the_command_s_code_and_a_frozen_collector(
    repo: Path, switch: str
) -> None:
    """``entry`` (the ``folio`` script, ``python -m repofolio``) freezes the collector once
    the command is done, so the interpreter's exit skips its collections; the exit code is
    the command's. Probed from an atexit handler, which runs after the command."""
    write_project(repo, "churn-model", good_readme().replace("date: 2024-05-01", "date: March"))
    code = (
        "import atexit, gc, sys\n"
        "atexit.register(lambda: print('frozen', gc.get_freeze_count() > 0))\n"
        "sys.argv = ['folio', 'check']\n"
        "from repofolio.cli import entry\n"
        "entry()\n"
    )
    env = {**os.environ, "FOLIO_FREEZE_AT_EXIT": switch}
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=repo, capture_output=True, text=True, env=env, timeout=60
    )
    assert proc.returncode == 1, proc.stderr  # the bad date
    assert "FM" in proc.stdout and proc.stdout.rstrip().endswith(f"frozen {switch != '0'}")


def test_unknown_command_is_usage_error(runner: CliRunner) -> None:
    result = runner.invoke(main, ["nope"])
    assert result.exit_code == 2 and "No such command" in result.output


# -- outside a portfolio ------------------------------------------------------------------------

ANYWHERE = {("init",), ("schema",)}  # the commands that need no portfolio


def leaf(path: tuple[str, ...]) -> click.Command:
    cmd: click.Command = main
    for part in path:
        assert isinstance(cmd, click.Group)
        cmd = cmd.commands[part]
    return cmd


def minimal_args(cmd: click.Command) -> list[str]:
    """Values for the required arguments and options: enough to get past click's parsing."""
    args: list[str] = []
    for param in cmd.params:
        if not param.required:
            continue
        value = param.type.choices[0] if isinstance(param.type, click.Choice) else "x"
        args += [str(value)] if isinstance(param, click.Argument) else [param.opts[0], str(value)]
    return args


LEAVES = [p for p in ALL if not isinstance(leaf(p), click.Group)]
PORTFOLIO_COMMANDS = [p for p in LEAVES if p not in ANYWHERE]


def tree(root: Path) -> dict[str, bytes | None]:
    """Every folder (None) and file (its bytes) under ``root``, symlinks as their target."""
    found: dict[str, bytes | None] = {}
    for path in sorted(root.rglob("*")):
        name = path.relative_to(root).as_posix()
        if path.is_symlink():
            found[name] = str(path.readlink()).encode()
        else:
            found[name] = None if path.is_dir() else path.read_bytes()
    return found


def test_only_init_and_schema_run_anywhere() -> None:
    """A new command needs a portfolio unless it says otherwise (needs_portfolio=False)."""
    from repofolio.cli import FolioCommand

    assert all(isinstance(leaf(p), FolioCommand) for p in LEAVES)  # none bypasses the check
    anywhere = {p for p in LEAVES if not leaf(p).needs_portfolio}  # type: ignore[attr-defined]
    assert anywhere == ANYWHERE
    named = {"new", "check", "clean", "index", "journal", "run", "build", "serve", "docs"}
    assert named | {"resume", "github"} <= {p[0] for p in PORTFOLIO_COMMANDS}


@pytest.mark.parametrize("with_git", [True, False], ids=["git", "no-git"])
@pytest.mark.parametrize("path", PORTFOLIO_COMMANDS, ids=[" ".join(p) for p in PORTFOLIO_COMMANDS])
def test_outside_a_portfolio_every_command_refuses_and_creates_nothing(
    path: tuple[str, ...],
    with_git: bool,
    tmp_path: Path,
    runner: CliRunner,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from conftest import git

    folder = tmp_path / "somewhere"
    folder.mkdir()
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "home" / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "home" / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home" / "cache"))
    if with_git:
        git(folder, "init", "-q", "-b", "main")
    (folder / "README.md").write_text("# Not a portfolio\n", "utf-8")
    (folder / "notes").mkdir()
    (folder / "notes" / "eda.ipynb").write_text("{}", "utf-8")
    monkeypatch.chdir(folder / "notes")  # from a subfolder: the search goes up
    before = tree(tmp_path)
    result = runner.invoke(main, [*path, *minimal_args(leaf(path))])
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("folio: error: not a portfolio: no folio.toml")
    assert str(folder / "notes") in lines[0]
    if with_git:
        assert f"up to {folder} (the git root)" in lines[0]
    else:
        assert "(no git repository)" in lines[0]
    assert "'folio init'" in lines[0]
    assert result.stdout == ""
    assert tree(tmp_path) == before


def test_schema_and_help_work_outside_a_portfolio(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["schema"])
    assert result.exit_code == 0 and '"title"' in result.stdout
    for path in PORTFOLIO_COMMANDS:
        assert runner.invoke(main, [*path, "--help"]).exit_code == 0, path
    result = runner.invoke(main, ["check", "--list-codes"])
    assert result.exit_code == 0 and "FM003" in result.stdout
    assert list(tmp_path.iterdir()) == []


def test_a_portfolio_is_found_from_a_subfolder_up_to_the_git_root(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    from conftest import git

    # A [tool.folio] above the git root belongs to something else: not this repository's.
    (tmp_path / "pyproject.toml").write_text('[tool.folio]\nowner = "Someone else"\n', "utf-8")
    repo = tmp_path / "repo"
    (repo / "deep" / "er").mkdir(parents=True)
    git(repo, "init", "-q", "-b", "main")
    monkeypatch.chdir(repo / "deep" / "er")
    result = runner.invoke(main, ["check"])
    assert result.exit_code == 2 and f"up to {repo} (the git root)" in result.stderr
    (repo / "folio.toml").write_text('owner = "Jane Doe"\n', "utf-8")
    write_project(repo, "churn-model")
    result = runner.invoke(main, ["check"])
    assert result.exit_code == 0, result.output
    assert "Checked 1 project" in result.stderr
    # -C names where the search starts
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["-C", str(repo / "deep"), "check"])
    assert result.exit_code == 0 and "Checked 1 project" in result.stderr
