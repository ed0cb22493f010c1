"""runner.env: environments made once per requirements and reused, and pruned."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from click.testing import CliRunner
from conftest import run_cli
from nbformat.v4 import new_notebook
from repofolio.runner.env import ensure_env, env_key, env_usage, requirements_bytes
from runfixtures import env_dir, project, run_json, tiny_wheel, use_envs

__all__ = ["env_dir"]  # a fixture


@pytest.mark.slow
def test_second_run_reuses_the_environment_and_new_requirements_get_a_new_one(
    repo: Path, env_dir: Path, runner: CliRunner
) -> None:
    use_envs(repo, env_dir)
    front = (
        "run:\n  - python -c 'import tinyfolio; print(tinyfolio.VALUE)'"
        "\n  - python -c 'import tinyfolio, sys; sys.exit(tinyfolio.VALUE != 42)'"
        "\nrequirements: requirements.txt\n"
    )
    folder = project(repo, "with-req", front)
    wheel = tiny_wheel(folder)
    (folder / "requirements.txt").write_text(f"--no-index\n./{wheel}\n", encoding="utf-8")

    code, first, _ = run_json(runner)
    assert code == 0, first
    entry = first["with-req"]
    assert entry["status"] == "passing" and entry["env_reused"] is False
    kinds = [s["kind"] for s in entry["steps"]]  # type: ignore[union-attr]
    assert kinds == ["install", "command", "command"]
    marker = json.loads((env_dir / str(entry["env"]) / "folio-env.json").read_text())
    assert marker["requirements"] == "requirements.txt"

    code, second, _ = run_json(runner)
    assert code == 0
    assert second["with-req"]["env"] == entry["env"]
    assert second["with-req"]["env_reused"] is True
    assert [s["kind"] for s in second["with-req"]["steps"]] == ["command", "command"]  # type: ignore[union-attr]

    # a changed requirements file is a different environment, built from scratch
    (folder / "requirements.txt").write_text(f"--no-index\n./{wheel}  # pinned\n", encoding="utf-8")
    code, third, _ = run_json(runner)
    assert code == 0
    assert third["with-req"]["env"] != entry["env"]
    assert third["with-req"]["env_reused"] is False


def test_commands_run_in_the_project_folder_inside_the_environment(
    repo: Path, env_dir: Path, runner: CliRunner
) -> None:
    use_envs(repo, env_dir)
    script = (
        "import os, sys, pathlib; pathlib.Path('where.txt').write_text("
        "os.getcwd() + '\\n' + sys.prefix + '\\n' + os.environ['VIRTUAL_ENV'])\n"
    )
    project(repo, "where", "run: python where.py\n", {"where.py": script})
    code, report, _ = run_json(runner)
    assert code == 0
    cwd, prefix, venv = (repo / "projects/where/where.txt").read_text().splitlines()
    assert Path(cwd) == (repo / "projects/where").resolve()
    assert Path(prefix) == Path(venv) == env_dir / str(report["where"]["env"])


@pytest.mark.slow
def test_prune_removes_the_environments_no_project_uses(
    repo: Path, tmp_path: Path, runner: CliRunner
) -> None:
    envs = tmp_path / "envs"  # its own: the session's environments serve other tests meanwhile
    use_envs(repo, envs)
    folder = project(repo, "with-req", "run: python -c 'import tinyfolio'\nrequirements: r.txt\n")
    wheel = tiny_wheel(folder)
    (folder / "r.txt").write_text(f"--no-index\n./{wheel}\n", encoding="utf-8")
    project(repo, "bare", "run: python -c 'print(1)'\n")
    code, first, _ = run_json(runner)
    assert code == 0, first
    old, bare = str(first["with-req"]["env"]), str(first["bare"]["env"])
    # new requirements make a new environment; the bare project stops running anything
    (folder / "r.txt").write_text(f"--no-index\n./{wheel}  # pinned\n", encoding="utf-8")
    code, second, _ = run_json(runner, "with-req")
    new = str(second["with-req"]["env"])
    assert code == 0 and new != old
    project(repo, "bare", "")
    # a project with a notebook keeps the kernel environment of its requirements, only that
    nb_files = {"nb.ipynb": nbformat.writes(new_notebook()), "r.txt": "# nothing\n"}
    nb_folder = project(repo, "nb", "requirements: r.txt\n", nb_files)
    kernel = {
        "nb": "py3.12.1-req-kernel-00000000000000aa",  # another Python's: kept all the same
        "gone": "py3.11.7-req-kernel-00000000000000bb",
    }
    for name, req in (("nb", nb_folder / "r.txt"), ("gone", folder / "r.txt")):
        (envs / kernel[name] / "bin").mkdir(parents=True)  # marked as ensure_env marks it
        usage = env_usage(req, ["ipykernel"])
        marker = {"key": kernel[name], "requirements_sha256": usage[0], "extras": ["ipykernel"]}
        (envs / kernel[name] / "folio-env.json").write_text(json.dumps(marker), encoding="utf-8")
    half = envs / "py3.11.7-req-0123456789abcdef"  # an interrupted creation: no marker
    (half / "bin").mkdir(parents=True)
    (envs / "notes").mkdir()  # not an environment's name: never touched
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "folio-env.json").write_text("{}", encoding="utf-8")
    link = envs / "py3.11.7-bare-fedcba9876543210"
    link.symlink_to(outside, target_is_directory=True)

    before = sorted(p.name for p in envs.iterdir())
    code, would, err = run_cli(runner, "run", "--prune", "--check")  # removes nothing
    assert code == 1 and sorted(p.name for p in envs.iterdir()) == before
    assert "would remove 4 environments" in err
    code, out, err = run_cli(runner, "run", "--prune")
    assert code == 0, err
    assert would == out.replace("removed ", "would remove ")
    lines = {line.split(":")[0].removeprefix("removed "): line for line in out.splitlines()}
    assert sorted(lines) == sorted([old, bare, half.name, kernel["gone"]])
    assert "no project uses these requirements now" in lines[old]
    assert "half-made" in lines[half.name]
    assert not lines[old].endswith("(0.0 MB)")  # a real environment's size on disk
    left = sorted(p.name for p in envs.iterdir() if not p.name.startswith("."))
    assert left == sorted([new, kernel["nb"], "notes", link.name])
    assert (outside / "folio-env.json").exists()  # a symlink is never followed
    assert "removed 4 environments" in err and "kept 2" in err

    code, third, _ = run_json(runner, "with-req")  # what was kept still serves, as it was
    assert code == 0 and third["with-req"]["env"] == new and third["with-req"]["env_reused"]
    code, out, _ = run_cli(runner, "run", "--prune", "--format", "json")
    assert json.loads(out) == {"removed": [], "kept": sorted([new, kernel["nb"]]), "errors": []}
    code, out, _ = run_cli(runner, "run", "--prune", "--check", "--format", "json")
    assert code == 0 and json.loads(out)["would_remove"] == []  # nothing left to remove
    code, _, err = run_cli(runner, "run", "--prune", "with-req")
    assert code == 2 and "give no SLUGS" in err
    code, _, err = run_cli(runner, "run", "--check")
    assert code == 2 and "--check goes with --prune" in err


def test_env_key_depends_on_requirements_python_and_extras() -> None:
    base = env_key(b"numpy\n", tag="cpython-3.11.7")
    assert env_key(b"numpy\n", tag="cpython-3.11.7") == base
    assert env_key(b"numpy>=2\n", tag="cpython-3.11.7") != base
    assert env_key(b"numpy\n", tag="cpython-3.12.1") != base
    assert env_key(b"numpy\n", ["ipykernel"], tag="cpython-3.11.7") != base
    assert "bare" in env_key(None)


def test_included_requirement_files_are_part_of_the_environment(tmp_path: Path) -> None:
    req = tmp_path / "requirements.txt"
    (tmp_path / "base").mkdir()
    req.write_text("-r base/common.txt\n--constraint=pins.txt\nrich\n")
    (tmp_path / "base" / "common.txt").write_text("numpy\n-r ../requirements.txt\n")  # a cycle
    (tmp_path / "pins.txt").write_text("numpy==2.1.0\n")
    before = env_key(requirements_bytes(req), tag="t")
    assert env_key(requirements_bytes(req), tag="t") == before
    (tmp_path / "pins.txt").write_text("numpy==2.2.0\n")  # only an included file changes
    pinned = env_key(requirements_bytes(req), tag="t")
    assert pinned != before
    (tmp_path / "base" / "common.txt").write_text("numpy\npandas\n")
    assert env_key(requirements_bytes(req), tag="t") != pinned


def test_a_missing_included_requirement_file_is_named(tmp_path: Path) -> None:
    req = tmp_path / "requirements.txt"
    req.write_text("-r base.txt\n")
    made = ensure_env(tmp_path / "envs", req, cwd=tmp_path, timeout=60, tail_lines=5)
    assert made.env is None and made.install is None
    assert made.error == "cannot read base.txt: No such file or directory"
    assert not (tmp_path / "envs").exists() or not any((tmp_path / "envs").iterdir())
