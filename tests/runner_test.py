"""folio run: real virtual environments, real pip, real processes, real Jupyter kernels.

Fixture projects are written into a real git repository in tmp_path; environments go into one
folder per test session (a second test reuses what the first built, as a second `folio run`
does). Installs are offline: requirement files say ``--no-index`` and name a wheel the test
builds; only the notebook kernel (ipykernel) and the example projects' requirements come from
the machine's pip index.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import textwrap
import zipfile
from pathlib import Path

import nbformat
import pytest
from click.testing import CliRunner
from conftest import commit, good_readme, run_cli, write_project
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from repofolio.config import load_config
from repofolio.runner import (
    Tail,
    compare_outputs,
    ensure_env,
    env_key,
    env_usage,
    error_line,
    requirements_bytes,
)
from repofolio.runreport import read_statuses, write_report

REPO_ROOT = Path(__file__).resolve().parent.parent


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


# -- the fixture set: every kind of failure, one run ------------------------------------------

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
    assert read_statuses(load_config(repo)) == status

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


def test_megabytes_of_output_keep_a_bounded_tail(
    repo: Path, env_dir: Path, runner: CliRunner
) -> None:
    use_envs(repo, env_dir, "tail-lines = 5\n")
    loud = textwrap.dedent("""\
        import sys
        print("y" * 2_000_000)  # one line of 2 MB
        for i in range(60_000):
            print(f"line {i} " + "x" * 100)
        print("z" * 1_000)  # a long line, cut
        print("the end")
        sys.exit(3)
        """)
    project(repo, "loud", "run: python loud.py\n", {"loud.py": loud})
    code, report, _ = run_json(runner)
    assert code == 1
    entry = report["loud"]
    assert entry["message"] == "'python loud.py' exited with 3"
    tail = str(entry["log_tail"])
    assert len(tail) < 3_000
    lines = tail.splitlines()
    assert lines[0] == "$ python loud.py"
    assert lines[1].startswith("[... 8.") and "MB of output" in lines[1]
    assert lines[-1] == "the end"
    assert "more characters]" in lines[-2]  # the 2 MB line, cut
    assert "line 59999" in lines[-3]


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


# -- notebooks --------------------------------------------------------------------------------


def compare_cell(source: str, text: str) -> nbformat.NotebookNode:
    cell = new_code_cell(source, outputs=[new_output("stream", name="stdout", text=text)])
    cell.metadata["tags"] = ["folio:compare"]
    return cell


@pytest.mark.slow
def test_notebooks_raise_in_cell_3_compare_tagged_cells_and_pass_otherwise(
    repo: Path, env_dir: Path, runner: CliRunner
) -> None:
    use_envs(repo, env_dir)
    raising = new_notebook(
        cells=[
            new_markdown_cell("# Analysis"),
            new_code_cell("x = 1"),
            new_code_cell("y = x / 0"),
            new_code_cell("open('after-the-error.txt', 'w').close()"),
        ]
    )
    same = new_notebook(
        cells=[
            new_code_cell("import os\nopen('ran-here.txt', 'w').write(os.getcwd())"),
            compare_cell("print(6 * 7)", "42\n"),
            new_code_cell(
                "print('untagged: output may change')",
                outputs=[new_output("stream", name="stdout", text="old\n")],
            ),
        ]
    )
    differs = new_notebook(cells=[compare_cell("print(6 * 9)", "42\n")])
    project(repo, "nb-raises", "", {"analysis.ipynb": nbformat.writes(raising)})
    project(repo, "nb-same", "", {"notebooks/same.ipynb": nbformat.writes(same)})
    project(repo, "nb-differs", "", {"differs.ipynb": nbformat.writes(differs)})
    commit(repo)

    # without --notebooks, notebook-only projects have nothing to run
    code, report, _ = run_json(runner)
    assert code == 0
    assert {e["status"] for e in report.values()} == {"not-runnable"}

    code, report, _ = run_json(runner, "--notebooks")
    assert code == 1
    raises = report["nb-raises"]
    assert raises["status"] == "failing" and raises["reason"] == "notebook failed"
    assert raises["message"] == (
        "projects/nb-raises/analysis.ipynb: cell 3 raised ZeroDivisionError: division by zero"
    )
    assert "ZeroDivisionError" in str(raises["log_tail"])
    assert "Kernel is running over TCP" not in str(raises["log_tail"])
    assert not (repo / "projects/nb-raises/after-the-error.txt").exists()

    assert report["nb-same"]["status"] == "passing"
    ran_in = (repo / "projects/nb-same/notebooks/ran-here.txt").read_text()
    assert Path(ran_in) == (repo / "projects/nb-same/notebooks").resolve()

    differs_entry = report["nb-differs"]
    assert differs_entry["reason"] == "output differs"
    assert "cell 1 (folio:compare) output 1 differs: expected '42', got '54'" in str(
        differs_entry["message"]
    )
    # the kernel ran in the environment: a kernel env, separate from the bare one
    assert "kernel" in str(report["nb-same"]["env"])
    # executing never rewrites the notebook
    assert nbformat.read(repo / "projects/nb-same/notebooks/same.ipynb", 4) == same


@pytest.mark.slow
def test_notebook_that_hangs_is_killed_at_the_timeout(
    repo: Path, env_dir: Path, runner: CliRunner
) -> None:
    use_envs(repo, env_dir)
    hang = new_notebook(cells=[new_code_cell("import time\nwhile True:\n    time.sleep(0.1)")])
    project(repo, "nb-hangs", "timeout: 3\n", {"hang.ipynb": nbformat.writes(hang)})
    code, report, _ = run_json(runner, "--notebooks")
    assert code == 1
    entry = report["nb-hangs"]
    assert entry["reason"] == "timeout"
    assert "cell 1 did not finish in 3 s" in str(entry["message"])
    assert float(entry["duration"]) < 60


# -- the example projects, for real -----------------------------------------------------------


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


# -- pieces -----------------------------------------------------------------------------------


def test_read_statuses_without_a_usable_report_is_empty(repo: Path) -> None:
    cfg = load_config(repo)
    assert read_statuses(cfg) == {}
    report = repo / ".folio-cache/run-report.json"
    report.parent.mkdir()
    for bad in ("", "{not json", "[1, 2]", '{"projects": []}', "\xff"):
        report.write_text(bad, encoding="utf-8")
        assert read_statuses(cfg) == {}
    report.write_bytes(b"\xff\xfe")
    assert read_statuses(cfg) == {}
    report.unlink()
    report.mkdir()
    assert read_statuses(cfg) == {}


def test_read_statuses_keeps_only_known_statuses(repo: Path) -> None:
    cfg = load_config(repo)
    write_report(cfg, {"a": {"status": "passing"}, "b": {"status": "weird"}, "c": []}, python="x")
    write_report(cfg, {"d": {"status": "not-runnable"}}, python="x")
    assert read_statuses(cfg) == {"a": "passing", "d": "not-runnable"}
    custom = dataclasses.replace(cfg, run=dataclasses.replace(cfg.run, report="out/r.json"))
    assert read_statuses(custom) == {}
    write_report(custom, {"e": {"status": "failing"}}, python="x")
    assert (repo / "out/r.json").is_file()
    assert read_statuses(custom) == {"e": "failing"}


def test_tail_keeps_memory_bounded_and_the_last_lines() -> None:
    tail = Tail(max_bytes=1000)
    for i in range(100_000):
        tail.feed(f"line {i}\n".encode())
    assert tail.total > 500_000
    assert sum(len(c) for c in tail._chunks) <= 1000 + 20
    assert tail.lines(2) == ["line 99998", "line 99999"]
    text = tail.text(3)
    assert text.splitlines()[0].startswith("[... ")
    tail.feed(b"z" * 10_000)
    assert tail.lines(1)[0].startswith("z" * 500) and tail.lines(1)[0].endswith("characters]")


def test_tail_collapses_progress_bars_and_colours() -> None:
    tail = Tail()
    tail.feed(b"\x1b[31mred\x1b[0m\n 10%\r 50%\r100%\ndone\n")
    assert tail.lines(5) == ["red", "100%", "done"]


def test_error_line_finds_the_exception_and_the_project_frame(tmp_path: Path) -> None:
    text = textwrap.dedent(f"""\
        Traceback (most recent call last):
          File "{tmp_path}/train.py", line 7, in <module>
            main()
          File "/usr/lib/python3/json/__init__.py", line 2, in loads
        ValueError: bad input
        """)
    assert error_line(text, tmp_path) == "ValueError: bad input (train.py:7)"
    assert error_line("E   AssertionError: 3 != 4\n", tmp_path) == "AssertionError: 3 != 4"
    assert error_line("all fine\n") is None


def test_compare_outputs_ignores_images_and_addresses_but_not_text() -> None:
    a = [new_output("display_data", data={"text/plain": "<Figure at 0x7f00>", "image/png": "AA"})]
    b = [new_output("display_data", data={"text/plain": "<Figure at 0x7fff>", "image/png": "BB"})]
    assert compare_outputs(a, b) is None
    c = [new_output("stream", name="stdout", text="1\n")]
    assert compare_outputs(c, []) == "expected 1 output(s), got 0"
    d = [new_output("stream", name="stderr", text="1\n")]
    assert compare_outputs(c, d) == (
        "output 1 differs: expected 'stream:stdout', got 'stream:stderr'"
    )


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
    assert made.env is None and made.step is None
    assert made.error == "cannot read base.txt: No such file or directory"
    assert not (tmp_path / "envs").exists() or not any((tmp_path / "envs").iterdir())


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


def test_a_notebook_symlinked_from_outside_the_repository_is_never_run(
    repo: Path, env_dir: Path, runner: CliRunner, tmp_path: Path
) -> None:
    use_envs(repo, env_dir)
    outside = tmp_path / "elsewhere.ipynb"
    marker = tmp_path / "ran.txt"
    code_cell = new_code_cell(f"open({str(marker)!r}, 'w').close()")
    outside.write_text(nbformat.writes(new_notebook(cells=[code_cell])), encoding="utf-8")
    folder = project(repo, "linked", "")
    (folder / "linked.ipynb").symlink_to(outside)
    code, report, _ = run_json(runner, "--notebooks")
    assert code == 0
    assert report["linked"]["status"] == "not-runnable"
    assert not marker.exists()
