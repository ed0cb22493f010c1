"""runner.plan through `folio run`: real virtual environments, real pip, real processes.

Fixture projects are written into a real git repository in tmp_path.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import commit, run_cli, write_project
from repofolio.config import load_config
from repofolio.runreport import read_statuses
from runfixtures import REPO_ROOT, env_dir, process_gone, project, run_json, use_envs

__all__ = ["env_dir"]  # a fixture

HANG = """\
import pathlib, subprocess
child = subprocess.Popen(["sleep", "300"])
pathlib.Path("child.pid").write_text(str(child.pid))
while True:
    pass
"""


@pytest.mark.slow
def test_fixture_projects_get_the_right_status_and_message(
    repo: Path, env_dir: Path, runner: CliRunner
) -> None:
    use_envs(repo, env_dir)
    project(repo, "passing", "run: python main.py\n", {"main.py": "print('all good')\n"})
    project(
        repo,
        "syntax-error",
        "run: python main.py\n",
        {"main.py": "x = 1\ndef broken(:\n    pass\n"},
    )
    # click is installed where folio runs: an isolated environment must not see it
    project(
        repo,
        "missing-dependency",
        "run: python main.py\n",
        {"main.py": "import json\nimport click\n"},
    )
    project(repo, "hanging-loop", "run: python loop.py\ntimeout: 2\n", {"loop.py": HANG})
    project(
        repo,
        "failing-install",
        "run: python -V\nrequirements: requirements.txt\n",
        {"requirements.txt": "--no-index\nfolio-no-such-package==1.0\n"},
    )
    project(repo, "no-run", "", {"main.py": "print(1)\n"})
    commit(repo)

    code, report, err = run_json(runner)
    assert code == 1
    status = {slug: entry["status"] for slug, entry in report.items()}
    assert status == {
        "passing": "passing",
        "syntax-error": "failing",
        "missing-dependency": "failing",
        "hanging-loop": "failing",
        "failing-install": "failing",
        "no-run": "not-runnable",
    }
    reason = {slug: entry["reason"] for slug, entry in report.items()}
    assert reason["syntax-error"] == "command failed"
    assert reason["hanging-loop"] == "timeout"
    assert reason["failing-install"] == "install failed"
    assert reason["no-run"] == "no run"

    message = {slug: str(entry["message"]) for slug, entry in report.items()}
    assert "SyntaxError" in message["syntax-error"]
    assert "main.py:2" in message["syntax-error"]
    assert "No module named 'click'" in message["missing-dependency"]
    assert "main.py:2" in message["missing-dependency"]
    assert "did not finish in 2 s" in message["hanging-loop"]
    assert "folio-no-such-package" in message["failing-install"]
    assert message["failing-install"].startswith("install failed")

    # a failing install never ran the command, and is not reported as a failing run
    install = report["failing-install"]
    assert [s["kind"] for s in install["steps"]] == ["install"]  # type: ignore[index]
    assert "No matching distribution" in str(install["log_tail"])

    # the log tail is there for failures only
    assert "log_tail" not in report["passing"]
    assert "Traceback" in str(report["missing-dependency"]["log_tail"])

    # the hang's child process, in the same process group, was killed with it
    pid = int((repo / "projects/hanging-loop/child.pid").read_text())
    assert process_gone(pid)

    # progress went to stderr, the report to disk, and the badges read it
    assert "folio run: [" in err
    assert json.loads((repo / ".folio-cache/run-report.json").read_text())["version"] == 1
    # ... where something ran: "no-run" gets no badge at all
    shown = {slug: s for slug, s in status.items() if s != "not-runnable"}
    assert read_statuses(load_config(repo)) == shown

    # the passing project and the failing ones without requirements share one bare env
    envs = {report[s]["env"] for s in ("passing", "syntax-error", "missing-dependency")}
    assert len(envs) == 1 and "bare" in str(envs.pop())


def test_text_output_names_each_project_and_shows_the_failure(
    repo: Path, env_dir: Path, runner: CliRunner
) -> None:
    use_envs(repo, env_dir)
    project(
        repo,
        "fails",
        "run: python main.py\n",
        {"main.py": "raise RuntimeError('the model file is missing')\n"},
    )
    code, out, err = run_cli(runner, "run")
    assert code == 1
    assert out.startswith(
        "fails: failing: 'python main.py' exited with 1: RuntimeError: "
        "the model file is missing (main.py:1)"
    )
    assert "    $ python main.py" in out
    assert "1 failing" in err


def test_a_command_list_stops_at_the_first_failure(
    repo: Path, env_dir: Path, runner: CliRunner
) -> None:
    use_envs(repo, env_dir)
    project(
        repo,
        "steps",
        "run:\n  - python -c 'print(1)'\n  - python -c 'import sys; "
        "sys.exit(4)'\n  - touch never-made\n",
    )
    code, report, _ = run_json(runner)
    assert code == 1
    steps = report["steps"]["steps"]
    assert [(s["status"], s["returncode"]) for s in steps] == [  # type: ignore[union-attr, index]
        ("passing", 0),
        ("failing", 4),
    ]
    assert not (repo / "projects/steps/never-made").exists()


def test_requirements_file_that_is_missing_fails_with_its_name(
    repo: Path, env_dir: Path, runner: CliRunner
) -> None:
    use_envs(repo, env_dir)
    project(repo, "no-file", "run: python -V\nrequirements: reqs.txt\n")
    code, report, _ = run_json(runner)
    assert code == 1
    assert report["no-file"]["message"] == (
        "requirements file 'reqs.txt' not found in projects/no-file"
    )


@pytest.mark.slow
def test_a_subset_run_keeps_the_other_projects_in_the_report(
    repo: Path, env_dir: Path, runner: CliRunner
) -> None:
    use_envs(repo, env_dir)
    project(repo, "alpha", "run: python -c 'print(1)'\n")
    project(repo, "beta", "run: python -c 'import sys; sys.exit(1)'\n")
    assert run_json(runner, "alpha")[0] == 0
    assert run_json(runner, "projects/beta/")[0] == 1
    assert read_statuses(load_config(repo)) == {"alpha": "passing", "beta": "failing"}


def test_unknown_project_is_a_usage_error(repo: Path, env_dir: Path, runner: CliRunner) -> None:
    use_envs(repo, env_dir)
    project(repo, "alpha", "run: python -V\n")
    code, out, err = run_cli(runner, "run", "nope")
    assert code == 2
    assert out == ""
    assert err.strip() == "folio: error: unknown project 'nope'; projects: alpha"


def test_invalid_front_matter_is_not_runnable(repo: Path, env_dir: Path, runner: CliRunner) -> None:
    use_envs(repo, env_dir)
    write_project(repo, "broken", "---\ntitle: Broken\nrun: python -V\n---\n\n# Broken\n")
    code, report, _ = run_json(runner)
    assert code == 0
    assert report["broken"]["status"] == "not-runnable"
    assert "folio check" in str(report["broken"]["message"])


@pytest.mark.slow
def test_example_projects_run_and_pass(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The repository's own projects/, copied, run in fresh environments (the machine's index)."""
    examples = sorted(p for p in (REPO_ROOT / "projects").iterdir() if (p / "README.md").is_file())
    assert examples, "no example projects in projects/"
    root = tmp_path / "portfolio"
    shutil.copytree(
        REPO_ROOT / "projects",
        root / "projects",
        ignore=shutil.ignore_patterns(
            ".pytest_cache", "__pycache__", ".benchmarks", "build", "*.egg-info"
        ),
    )
    (root / "pyproject.toml").write_text('[tool.folio]\nowner = "T"\n', encoding="utf-8")
    monkeypatch.chdir(root)
    code, report, err = run_json(runner, "--notebooks", "--jobs", "2")
    failing = {s: e["message"] for s, e in report.items() if e["status"] != "passing"}
    assert failing == {}, err[-3000:]
    assert code == 0
    assert set(report) == {p.name for p in examples}
    for entry in report.values():
        assert [s["kind"] for s in entry["steps"]][0] == "install"  # type: ignore[index]
