"""The pre-commit hooks, run by the real pre-commit in real git repositories.

The hook repository is a git repository made from this project's files; pre-commit clones it
and installs it into its own virtualenv with ``language: python``, as it does for any user.
No network: pip gets no index (``PIP_NO_INDEX``) and finds the dependencies already installed
here through ``PYTHONPATH`` (hatchling too, for the build without isolation).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from conftest import GIT_ENV, commit, git, good_readme, write_project

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = ROOT / ".pre-commit-hooks.yaml"
CONFIG = ROOT / ".pre-commit-config.yaml"
FOLIO_HOOKS = ("folio-check", "folio-clean", "folio-index")

DIRTY_NOTEBOOK = {
    "cells": [
        {
            "cell_type": "code",
            "execution_count": 7,
            "id": "c1",
            "metadata": {"collapsed": True, "scrolled": True},
            "outputs": [],
            "source": ["x = 1"],
        }
    ],
    "metadata": {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "widgets": {"application/vnd.jupyter.widget-state+json": {"state": {}}},
    },
    "nbformat": 4,
    "nbformat_minor": 5,
}


def manifest_hooks() -> dict[str, dict[str, object]]:
    return {hook["id"]: hook for hook in yaml.safe_load(MANIFEST.read_text("utf-8"))}


def config_hooks() -> dict[str, dict[str, object]]:
    config = yaml.safe_load(CONFIG.read_text("utf-8"))
    return {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}


def dirty_notebook() -> str:
    return json.dumps(DIRTY_NOTEBOOK, indent=1) + "\n"


# -- the manifest and this repository's config ------------------------------------------------


def test_manifest_and_config_are_valid_for_pre_commit() -> None:
    for command, path in (("validate-manifest", MANIFEST), ("validate-config", CONFIG)):
        result = subprocess.run(
            [sys.executable, "-m", "pre_commit", command, str(path)],
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stdout + result.stderr


def test_manifest_hooks_are_python_and_scoped() -> None:
    hooks = manifest_hooks()
    assert set(FOLIO_HOOKS) <= set(hooks)
    for hook_id, hook in hooks.items():
        assert hook["language"] == "python", hook_id
        assert hook.get("files"), f"{hook_id} runs on every file"
        assert str(hook["entry"]).startswith("folio "), hook_id
    assert hooks["folio-check"]["pass_filenames"] is True
    assert hooks["folio-clean"]["pass_filenames"] is True
    assert hooks["folio-index"]["entry"] == "folio index --check"
    for hook_id in ("folio-index", "folio-index-fix"):  # one shared file: README.md
        assert hooks[hook_id]["pass_filenames"] is False
        assert hooks[hook_id]["require_serial"] is True


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("projects/churn/README.md", {"folio-check", "folio-clean", "folio-index"}),
        ("projects/churn/eda.ipynb", {"folio-check", "folio-clean"}),
        ("projects/churn/src/train.py", {"folio-check", "folio-clean"}),
        ("docs/journal/posts/2026-01-02.md", {"folio-check", "folio-index"}),
        ("README.md", {"folio-check", "folio-index"}),  # published: secrets, placeholders
        ("pyproject.toml", {"folio-index"}),
        ("docs/about.md", {"folio-check"}),
        ("cv.yaml", {"folio-check"}),
        ("docs/cv.yaml.bak", {"folio-check"}),
        ("mycv.yaml", set()),
        ("tools/repofolio/cli.py", set()),
        ("projectsX/a.py", set()),
    ],
)
def test_hooks_select_only_their_files(path: str, expected: set[str]) -> None:
    hooks = manifest_hooks()
    matched = {
        hook_id
        for hook_id in FOLIO_HOOKS
        if re.search(str(hooks[hook_id]["files"]), path)
        and not re.search(str(hooks[hook_id].get("exclude", "^$")), path)
    }
    assert matched == expected


def test_init_template_config_runs_the_manifest_hooks() -> None:
    """The .pre-commit-config.yaml that `folio init` writes uses the same hook definitions."""
    template = ROOT / "tools/repofolio/templates/init/pre-commit-config.yaml"
    config = yaml.safe_load(template.read_text("utf-8"))
    local = {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}
    published = manifest_hooks()
    for hook_id in FOLIO_HOOKS:
        for key in ("entry", "files", "types", "pass_filenames", "require_serial"):
            assert local[hook_id].get(key) == published[hook_id].get(key), (hook_id, key)


def test_every_hook_is_documented() -> None:
    page = (ROOT / "docs/toolkit/automation.md").read_text("utf-8")
    for hook_id in manifest_hooks():
        assert f"`{hook_id}`" in page


def test_repository_config_runs_the_manifest_hooks() -> None:
    """This repository's local hooks are the published ones (only the language differs)."""
    published, local = manifest_hooks(), config_hooks()
    for hook_id in FOLIO_HOOKS:
        assert local[hook_id]["language"] == "unsupported"  # the working tree's folio
        for key in ("entry", "files", "types", "pass_filenames", "require_serial"):
            assert local[hook_id].get(key) == published[hook_id].get(key), (hook_id, key)
    for standard in (
        "trailing-whitespace",
        "end-of-file-fixer",
        "check-yaml",
        "check-added-large-files",
        "ruff-check",
        "ruff-format",
    ):
        assert standard in local
        entry = str(local[standard]["entry"]).split()[0]
        search = sysconfig.get_paths()["scripts"] + os.pathsep + os.environ.get("PATH", "")
        assert shutil.which(entry, path=search), f"{entry} missing: pip install -e '.[test]'"


# -- real pre-commit runs ----------------------------------------------------------------------


def _copy_project(dest: Path) -> None:
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(ROOT / "tools", dest / "tools", ignore=ignore)
    for name in ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml"):
        shutil.copy2(ROOT / name, dest / name)


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A git repository of this project, as a user's config would name it."""
    base = tmp_path_factory.mktemp("hooks")
    repo = base / "repofolio"
    repo.mkdir()
    _copy_project(repo)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "-c", "commit.gpgsign=false", "commit", "-q", "-m", "hooks")
    return repo


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One pre-commit store for the module: the hook environment is installed once."""
    return tmp_path_factory.mktemp("pre-commit-home")


def pre_commit_env(store: Path, home: Path) -> dict[str, str]:
    purelib = sysconfig.get_paths()["purelib"]
    env = {
        **os.environ,
        **GIT_ENV,
        "HOME": str(home),
        "PRE_COMMIT_HOME": str(store),
        "PRE_COMMIT_COLOR": "never",
        "PIP_NO_INDEX": "1",  # never the network
        "PIP_NO_BUILD_ISOLATION": "0",  # pip reads "0" as: build in the hook's env
        "PYTHONPATH": purelib,  # the dependencies (and hatchling) already installed here
    }
    env.pop("FOLIO_ROOT", None)
    return env


def run_hooks(
    repo: Path,
    store: Path,
    hook_repo: Path,
    *args: str,
    hooks: tuple[str, ...] = FOLIO_HOOKS + ("folio-index-fix",),
) -> tuple[int, str]:
    rev = git(hook_repo, "rev-parse", "HEAD").strip()
    config = {"repos": [{"repo": str(hook_repo), "rev": rev, "hooks": [{"id": h} for h in hooks]}]}
    config_path = repo.parent / "user-pre-commit-config.yaml"
    config_path.write_text(yaml.safe_dump(config), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--config", str(config_path), *args],
        cwd=repo,
        env=pre_commit_env(store, repo.parent),
        capture_output=True,
        text=True,
        timeout=900,
    )
    return result.returncode, result.stdout + result.stderr


def snapshot(repo: Path) -> dict[str, bytes]:
    return {
        path.relative_to(repo).as_posix(): path.read_bytes()
        for path in sorted(repo.rglob("*"))
        if path.is_file() and ".git" not in path.relative_to(repo).parts
    }


@pytest.fixture
def portfolio(repo: Path) -> Iterator[Path]:
    yield repo


@pytest.mark.slow
def test_try_repo_runs_folio_check_from_a_clone(
    portfolio: Path, hook_repo: Path, tmp_path: Path
) -> None:
    write_project(portfolio, "good")
    write_project(portfolio, "bad", readme=good_readme().replace("## Results", "## Outcome"))
    commit(portfolio)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pre_commit",
            "try-repo",
            str(hook_repo),
            "folio-check",
            "--all-files",
        ],
        cwd=portfolio,
        env=pre_commit_env(tmp_path / "try-store", portfolio.parent),
        capture_output=True,
        text=True,
        timeout=900,
    )
    out = result.stdout + result.stderr
    assert result.returncode == 1, out
    assert "projects/bad/README.md" in out
    assert "projects/good/README.md" not in out
    assert "Results" in out


@pytest.mark.slow
def test_folio_clean_fixes_a_dirty_notebook_then_passes(
    portfolio: Path, hook_repo: Path, store: Path
) -> None:
    notebook = write_project(portfolio, "churn", files={"eda.ipynb": dirty_notebook()})
    path = notebook / "eda.ipynb"
    commit(portfolio)
    code, out = run_hooks(portfolio, store, hook_repo, "folio-clean", "--all-files")
    assert code == 1, out
    assert "files were modified by this hook" in out
    cleaned = json.loads(path.read_text("utf-8"))
    assert cleaned["cells"][0]["execution_count"] == 1
    assert "widgets" not in cleaned["metadata"]
    assert "collapsed" not in cleaned["cells"][0]["metadata"]
    git(portfolio, "add", "-A")
    code, out = run_hooks(portfolio, store, hook_repo, "folio-clean", "--all-files")
    assert code == 0, out
    assert "Passed" in out


@pytest.mark.slow
def test_hook_environment_is_the_cloned_project(
    portfolio: Path, hook_repo: Path, store: Path
) -> None:
    write_project(portfolio, "churn")
    commit(portfolio)
    code, out = run_hooks(portfolio, store, hook_repo, "folio-check", "--all-files")
    assert code == 0, out
    pythons = sorted(store.glob("repo*/py_env-*/bin/python"))
    assert pythons, f"no hook environment in {store}"
    probe = subprocess.run(
        [str(pythons[0]), "-c", "import repofolio; print(repofolio.__file__)"],
        env=pre_commit_env(store, portfolio.parent),
        capture_output=True,
        text=True,
    )
    assert probe.returncode == 0, probe.stderr
    assert Path(probe.stdout.strip()).is_relative_to(store), probe.stdout


@pytest.mark.slow
def test_hooks_touch_only_the_files_passed(portfolio: Path, hook_repo: Path, store: Path) -> None:
    write_project(portfolio, "alpha", files={"eda.ipynb": dirty_notebook()})
    write_project(portfolio, "beta", files={"eda.ipynb": dirty_notebook()})
    write_project(portfolio, "gamma", readme=good_readme().replace("## Approach", "## Method"))
    (portfolio / "README.md").write_text(
        "# Me\n\n<!-- folio:projects:start -->\nstale\n<!-- folio:projects:end -->\n\n"
        "<!-- folio:journal:start -->\n<!-- folio:journal:end -->\n",
        encoding="utf-8",
    )
    commit(portfolio)
    before = snapshot(portfolio)

    code, out = run_hooks(
        portfolio,
        store,
        hook_repo,
        "--files",
        "projects/alpha/eda.ipynb",
        "projects/alpha/README.md",
        hooks=("folio-check", "folio-clean", "folio-index"),
    )
    assert code == 1, out
    after = snapshot(portfolio)
    changed = {name for name in before if before[name] != after.get(name)}
    assert changed == {"projects/alpha/eda.ipynb"}, out  # beta's notebook is left dirty
    assert "projects/gamma" not in out  # folio check saw only alpha
    assert "region 'projects' is out of date" in out  # the check-mode index hook ran ...
    assert after["README.md"] == before["README.md"]  # ... and wrote nothing

    git(portfolio, "add", "-A")
    before = snapshot(portfolio)
    code, out = run_hooks(
        portfolio, store, hook_repo, "--files", "README.md", hooks=("folio-index-fix",)
    )
    assert code == 1, out
    after = snapshot(portfolio)
    changed = {name for name in before if before[name] != after.get(name)}
    assert changed == {"README.md"}
    assert "[Alpha](projects/alpha/)" in after["README.md"].decode()
    assert "stale" not in after["README.md"].decode()
