"""``folio init``: the layout added to real git repositories, nothing existing ever changed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import git, run_cli
from repofolio.cli import main

LAYOUT = (
    "folio.toml",
    "mkdocs.yml",
    "docs/index.md",
    "docs/journal/index.md",
    "projects/example-project/README.md",
    "README.md",
    ".pre-commit-config.yaml",
    ".github/workflows/ci.yml",
    ".github/workflows/publish.yml",
    "requirements-folio.txt",
    ".gitignore",
)


@pytest.fixture
def bare(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An existing repository that knows nothing of repofolio."""
    root = tmp_path / "mine"
    root.mkdir()
    monkeypatch.setenv("HOME", str(tmp_path))
    git(root, "init", "-q", "-b", "main")
    monkeypatch.chdir(root)
    return root


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    return {
        path.relative_to(root).as_posix(): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in sorted(root.rglob("*"))
        if path.is_file() and ".git" not in path.relative_to(root).parts
    }


def test_init_creates_the_layout_and_prints_next_steps(bare: Path, runner: CliRunner) -> None:
    code, out, err = run_cli(
        runner,
        "init",
        str(bare),
        "--owner",
        "Ada Example",
        "--headline",
        "ML engineer: forecasting",
    )
    assert code == 0, err
    assert out == ""  # chatter on stderr
    for rel in LAYOUT:
        assert (bare / rel).is_file(), rel
        assert f"Created {rel}" in err
    assert "Next steps:" in err
    assert "Settings > Pages" in err
    assert "Skipped" not in err
    assert 'owner = "Ada Example"' in (bare / "folio.toml").read_text("utf-8")
    assert "ML engineer: forecasting" in (bare / "docs/index.md").read_text("utf-8")
    assert (
        (bare / "requirements-folio.txt")
        .read_text("utf-8")
        .strip()
        .endswith(f"repofolio>={__import__('repofolio').__version__}")
    )


def test_init_result_passes_check_and_index(bare: Path, runner: CliRunner) -> None:
    assert run_cli(runner, "init", str(bare), "--owner", "Ada")[0] == 0
    code, out, err = run_cli(runner, "-C", str(bare), "check")
    assert code == 0, out + err
    assert "1 project" in err
    code, out, err = run_cli(runner, "-C", str(bare), "index", "--check")
    assert code == 0, out + err  # the README's regions were filled at init
    readme = (bare / "README.md").read_text("utf-8")
    assert "[Example project](projects/example-project/)" in readme


def test_init_result_builds_with_mkdocs(bare: Path, runner: CliRunner) -> None:
    assert run_cli(runner, "init", str(bare), "--owner", "Ada")[0] == 0
    code, _, err = run_cli(
        runner,
        "-C",
        str(bare),
        "journal",
        "add",
        "--date",
        "2026-11-20",
        "--tag",
        "learning",
        "Read about conformal prediction",
    )
    assert code == 0, err
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet"],
        cwd=bare,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert (bare / "site/index.html").is_file()
    page = bare / "site/projects/example-project/index.html"
    assert page.is_file()
    assert "Example project" in page.read_text("utf-8")
    posts = [p.read_text("utf-8") for p in (bare / "site/journal").rglob("index.html")]
    assert any("Read about conformal prediction" in text for text in posts)


def test_init_pre_commit_config_is_valid(bare: Path, runner: CliRunner) -> None:
    assert run_cli(runner, "init", str(bare))[0] == 0
    result = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-config", ".pre-commit-config.yaml"],
        cwd=bare,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_init_changes_no_existing_file(bare: Path, runner: CliRunner) -> None:
    existing = {
        "README.md": "# My thing\n\nHand-written, no markers.\n",
        "pyproject.toml": '[project]\nname = "mine"\nversion = "1.0"\n',
        "mkdocs.yml": "site_name: Mine\n",
        ".gitignore": "*.log\n",
        ".github/workflows/ci.yml": "name: mine\non: push\n",
        "docs/index.md": "# Mine\r\nCRLF kept\r\n",
        "projects/example-project/README.md": "---\ntitle: Mine\n---\n",
    }
    for rel, text in existing.items():
        path = bare / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    git(bare, "add", "-A")
    git(bare, "-c", "commit.gpgsign=false", "commit", "-q", "-m", "mine")
    before = snapshot(bare)

    code, out, err = run_cli(runner, "init", str(bare))
    assert code == 0, err
    after = snapshot(bare)
    for rel, state in before.items():
        assert after[rel] == state, f"{rel} was changed"
    for rel in set(existing) - {"pyproject.toml"}:  # pyproject.toml is not in the layout
        assert f"Skipped {rel}" in err
    # pyproject.toml has no [tool.folio]: the config goes to a new folio.toml, never into it.
    assert "Created folio.toml" in err
    created = set(after) - set(before)
    assert created == {
        "folio.toml",
        "docs/journal/index.md",
        ".pre-commit-config.yaml",
        ".github/workflows/publish.yml",
        "requirements-folio.txt",
    }
    assert "Add the index regions to your README.md" in err
    assert "Add 'site/' and '.folio-cache/' to your .gitignore" in err
    assert git(bare, "status", "--porcelain", "--untracked-files=no") == ""


def test_init_keeps_tool_folio_in_pyproject(bare: Path, runner: CliRunner) -> None:
    (bare / "pyproject.toml").write_text('[tool.folio]\nowner = "Already Here"\n', "utf-8")
    code, _, err = run_cli(runner, "init", str(bare))
    assert code == 0, err
    assert not (bare / "folio.toml").exists()
    assert "folio.toml" not in err
    assert "Already Here" in (bare / "README.md").read_text("utf-8")


def test_init_check_writes_nothing(bare: Path, runner: CliRunner) -> None:
    code, out, err = run_cli(runner, "init", "--check", str(bare))
    assert code == 1
    assert "Would create mkdocs.yml" in err
    assert snapshot(bare) == {}
    assert run_cli(runner, "init", str(bare))[0] == 0
    code, out, err = run_cli(runner, "init", "--check", str(bare))
    assert code == 0
    assert "Would create" not in err


def test_init_twice_changes_nothing(bare: Path, runner: CliRunner) -> None:
    assert run_cli(runner, "init", str(bare))[0] == 0
    before = snapshot(bare)
    code, _, err = run_cli(runner, "init", str(bare))
    assert code == 0
    assert "Nothing to do" in err
    assert snapshot(bare) == before


def test_init_never_writes_through_a_symlink(bare: Path, tmp_path: Path, runner: CliRunner) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (bare / ".github").symlink_to(outside, target_is_directory=True)
    (bare / "mkdocs.yml").symlink_to(tmp_path / "nowhere.yml")  # dangling
    code, _, err = run_cli(runner, "init", str(bare))
    assert code == 0, err
    assert list(outside.iterdir()) == []
    assert not (tmp_path / "nowhere.yml").exists()
    assert "Skipped .github/workflows/ci.yml  (outside the repository" in err
    assert "Skipped mkdocs.yml  (symlink" in err


def test_init_default_directory_is_the_current_one(bare: Path, runner: CliRunner) -> None:
    code, _, err = run_cli(runner, "init")
    assert code == 0, err
    assert (bare / "mkdocs.yml").is_file()


@pytest.mark.parametrize("kind", ["missing", "file"])
def test_init_bad_directory_is_one_line_exit_2(bare: Path, runner: CliRunner, kind: str) -> None:
    target = bare / "nope"
    if kind == "file":
        target.write_text("x", "utf-8")
    result = runner.invoke(main, ["init", str(target)])
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert len(result.stderr.strip().splitlines()) == 1
    assert "nope" in result.stderr


def test_init_help_has_examples(runner: CliRunner) -> None:
    code, out, _ = run_cli(runner, "init", "--help")
    assert code == 0
    assert "Examples:" in out
    assert "never overwrites" in out
