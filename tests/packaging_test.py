"""The package as PyPI would ship it: the wheel holds every file of the toolkit, and folio
installed from the wheel alone (in a fresh virtual environment) starts a new user's
portfolio and builds it strictly.

Offline: the wheel is built without isolation (hatchling is a test dependency) and installed
with ``--no-deps``; the fresh environment sees this environment's third-party packages through
a plain path in a ``.pth`` file (no ``.pth`` of this environment is run, so this checkout's
editable install of repofolio is not on its path). Every byte of repofolio it runs comes from
the wheel. CI sets ``FOLIO_WHEEL_DIR`` to test the wheel its job built.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest
from conftest import GIT_ENV, commit, git, good_readme, write_project

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    given = os.environ.get("FOLIO_WHEEL_DIR")
    if given:
        found = sorted(Path(given).glob("repofolio-*.whl"))
        assert found, f"FOLIO_WHEEL_DIR={given} holds no repofolio wheel"
        return found[-1]
    out = tmp_path_factory.mktemp("dist")
    result = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), "."],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    (found,) = out.glob("repofolio-*.whl")
    return found


def test_the_wheel_holds_every_file_of_the_package(wheel: Path) -> None:
    """Templates, theme assets, anything added later: every file git tracks in the package."""
    tracked = git(ROOT, "ls-files", "-z", "tools/repofolio").split("\0")
    wanted = {
        name.removeprefix("tools/")
        for name in tracked
        if name and "__pycache__" not in name and (ROOT / name).is_file()
    }
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
        entry_text = archive.read(entry_points).decode()
    assert wanted - names == set()
    assert {n for n in wanted if n.endswith((".j2", ".yml", ".yaml"))}  # data files, not only .py
    assert "folio = repofolio.cli:entry" in entry_text
    assert "repofolio = repofolio.site.mkdocs.plugin:RepofolioPlugin" in entry_text
    assert not [n for n in names if n.startswith(("tests/", "projects/", "docs/"))]


def fresh_venv(base: Path, wheel: Path) -> Path:
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    python = venv / "bin" / "python"
    result = subprocess.run(
        [str(python), "-m", "pip", "install", "--no-deps", "--no-index", str(wheel)],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    site = next(venv.glob("lib/python*/site-packages"))
    # a plain path (not addsitedir): this environment's .pth files, the editable install of
    # this checkout among them, are not run; the wheel's repofolio comes first on sys.path
    (site / "zzz-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", "utf-8")
    return venv


@pytest.mark.slow
def test_folio_from_the_wheel_alone_starts_and_builds_a_new_portfolio(
    wheel: Path, tmp_path: Path
) -> None:
    venv = fresh_venv(tmp_path, wheel)
    folio = venv / "bin" / "folio"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHONPATH"))},
        **GIT_ENV,
        "HOME": str(tmp_path),
        "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}",
        "NO_MKDOCS_2_WARNING": "1",
    }
    where = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import repofolio; print(repofolio.__file__)"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    assert Path(where.stdout.strip()).is_relative_to(venv), where.stdout + where.stderr

    repo = tmp_path / "jane-portfolio"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    git(repo, "remote", "add", "origin", "https://github.com/jane-doe/portfolio.git")
    (repo / "README.md").write_text("# Jane Doe\n\nMy projects.\n", "utf-8")
    commit(repo, "my README")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(folio), *args], cwd=repo, env=env, capture_output=True, text=True, timeout=900
        )

    init = run("init", "--owner", "Jane Doe", "--headline", "Data scientist: forecasting and NLP")
    assert init.returncode == 0, init.stderr
    # installed from a local wheel, which no runner reaches: the release, and why
    assert "requirements-folio.txt: repofolio>=" in init.stderr
    assert "which a CI runner cannot reach" in init.stderr
    write_project(repo, "demand-forecast", good_readme("Demand forecast"))
    commit(repo, "a real project")
    build = run("build", "--strict")
    assert build.returncode == 0, build.stdout + build.stderr
    home = (repo / "site" / "index.html").read_text("utf-8")
    assert "Jane Doe" in home and "Demand forecast" in home
    assert (repo / "site/projects/demand-forecast/index.html").is_file()
    check = run("check")
    assert check.returncode == 0, check.stdout + check.stderr
