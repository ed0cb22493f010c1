"""folio clean on code and text files, personal paths, file selection and usage errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import commit, good_readme, run_cli, write_project
from repofolio.clean import code, paths
from repofolio.cli import main

TIDY = [
    ("x = 1   \ny = 2\t\n", "x = 1\ny = 2\n", False),
    ("no newline", "no newline\n", False),
    ("many newlines\n\n\n\n", "many newlines\n", False),
    ("crlf  \r\nkept\r\n", "crlf\r\nkept\r\n", False),
    ("", "", False),
    ("\n\n  \n", "", False),
    ("hard break  \nnext   \n", "hard break  \nnext  \n", True),
    ("trailing tab\t\n", "trailing tab\n", True),
]


@pytest.mark.parametrize(("before", "after", "markdown"), TIDY)
def test_tidy_text(before: str, after: str, markdown: bool) -> None:
    assert code.tidy_text(before, markdown=markdown) == after
    assert code.tidy_text(after, markdown=markdown) == after  # idempotent


@pytest.mark.parametrize(("before", "after", "markdown"), TIDY)
def test_tidy_through_the_cli(
    repo: Path, runner: CliRunner, before: str, after: str, markdown: bool
) -> None:
    name = "notes.md" if markdown else "notes.txt"
    folder = write_project(repo, "demo", good_readme())
    (folder / name).write_bytes(before.encode())
    run_cli(runner, "clean")
    assert (folder / name).read_bytes() == after.encode()
    exit_code, out, _ = run_cli(runner, "clean", "--check")
    assert exit_code == 0, out


def test_python_file_is_formatted_with_ruff(repo: Path, runner: CliRunner) -> None:
    folder = write_project(
        repo, "demo", good_readme(), {"train.py": "x=[1,2 ,3]   \ndef f( a ):\n  return a"}
    )
    exit_code, out, _ = run_cli(runner, "clean", "--check", "--diff")
    assert exit_code == 1
    assert "projects/demo/train.py: CL001 needs cleaning: ruff format" in out
    assert "+x = [1, 2, 3]" in out
    run_cli(runner, "clean")
    assert (folder / "train.py").read_text() == "x = [1, 2, 3]\n\n\ndef f(a):\n    return a\n"


def test_project_ruff_config_is_used(repo: Path, runner: CliRunner) -> None:
    folder = write_project(
        repo,
        "demo",
        good_readme(),
        {"ruff.toml": '[format]\nquote-style = "single"\n', "a.py": 'x = "y"\n'},
    )
    run_cli(runner, "clean")
    assert (folder / "a.py").read_text() == "x = 'y'\n"


def test_unparsable_python_is_tidied_not_formatted(repo: Path, runner: CliRunner) -> None:
    folder = write_project(repo, "demo", good_readme(), {"py2.py": "print 'hello'   \n\n\n"})
    exit_code, out, err = run_cli(runner, "clean")
    assert exit_code == 1 and "Traceback" not in out + err
    assert (folder / "py2.py").read_text() == "print 'hello'\n"


def test_format_code_can_be_turned_off(repo: Path, runner: CliRunner) -> None:
    (repo / "pyproject.toml").write_text(
        '[tool.folio]\nowner = "T"\n[tool.folio.clean]\nformat-code = false\n', encoding="utf-8"
    )
    folder = write_project(repo, "demo", good_readme(), {"a.py": "x=1  \n"})
    run_cli(runner, "clean")
    assert (folder / "a.py").read_text() == "x=1\n"


def test_bom_and_mode_are_kept(repo: Path, runner: CliRunner) -> None:
    folder = write_project(repo, "demo", good_readme())
    script = folder / "run.sh"
    script.write_bytes(b"\xef\xbb\xbfecho hi   \n")
    os.chmod(script, 0o755)
    run_cli(runner, "clean")
    assert script.read_bytes() == b"\xef\xbb\xbfecho hi\n"
    assert os.stat(script).st_mode & 0o777 == 0o755


def test_binary_and_ignored_files_are_left_alone(repo: Path, runner: CliRunner) -> None:
    folder = write_project(
        repo,
        "demo",
        good_readme(),
        {
            "data.json": b"\x00\x01binary  \n",
            "out/ignored.py": "x=1   \n",
            ".ipynb_checkpoints/a.py": "x=1  \n",
        },
    )
    (repo / ".gitignore").write_text("out/\n", encoding="utf-8")
    run_cli(runner, "clean")
    assert (folder / "data.json").read_bytes() == b"\x00\x01binary  \n"
    assert (folder / "out/ignored.py").read_text() == "x=1   \n"
    assert (folder / ".ipynb_checkpoints/a.py").read_text() == "x=1  \n"


def test_symlink_out_of_the_repository_is_not_followed(
    repo: Path, runner: CliRunner, tmp_path: Path
) -> None:
    outside = tmp_path / "outside.py"
    outside.write_text("x=1   \n", encoding="utf-8")
    folder = write_project(repo, "demo", good_readme())
    (folder / "link.py").symlink_to(outside)
    exit_code, out, _ = run_cli(runner, "clean")
    assert outside.read_text() == "x=1   \n"
    assert "projects/demo/link.py: CL002 symlink leaves the repository" in out


@pytest.mark.parametrize("args", [["clean", "/"], ["clean", "no/such/file.py"]])
def test_usage_errors_exit_2(repo: Path, runner: CliRunner, args: list[str]) -> None:
    write_project(repo, "demo", good_readme())
    result = runner.invoke(main, args)
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "folio: error:" in result.stderr


def test_explicit_files_are_cleaned_like_pre_commit_passes_them(
    repo: Path, runner: CliRunner
) -> None:
    folder = write_project(repo, "demo", good_readme(), {"a.py": "x=1\n", "b.py": "y=2\n"})
    commit(repo)
    exit_code, _, err = run_cli(runner, "clean", "projects/demo/a.py")
    assert exit_code == 1 and "Rewriting projects/demo/a.py" in err
    assert (folder / "b.py").read_text() == "y=2\n"


def test_nothing_to_do_exits_0_quietly(repo: Path, runner: CliRunner) -> None:
    write_project(repo, "demo", good_readme(), {"a.py": "x = 1\n"})
    run_cli(runner, "clean")
    exit_code, out, err = run_cli(runner, "clean")
    assert exit_code == 0 and out == "" and "0 cleaned" in err
    exit_code, out, err = run_cli(runner, "clean", "-q")
    assert exit_code == 0 and out == "" and err == ""


# ------------------------------------------------------------------ personal paths

FOUND = [
    ("df = pd.read_csv('/home/maya/data/train.csv')", "/home/maya/data/train.csv"),
    ('open("/Users/john/Desktop/x.txt")', "/Users/john/Desktop/x.txt"),
    ("path = r'C:\\Users\\maya\\Documents\\x.csv'", "C:\\Users\\maya\\Documents\\x.csv"),
    ('"C:\\\\Users\\\\maya\\\\x.csv"', "C:\\\\Users\\\\maya\\\\x.csv"),
    ("see file:///home/maya/report.html", "/home/maya/report.html"),
    ("  File /home/maya/.venv/lib/x.py:3: Warning", "/home/maya/.venv/lib/x.py"),
]
NOT_FOUND = [
    "/home/runner/work/x",
    "/srv/home/maya/x",
    "/usr/share/x",
    "https://x.org/home/a/",
    "/Users/Shared/data",
]


@pytest.mark.parametrize(("text", "path"), FOUND)
def test_personal_paths_found(text: str, path: str) -> None:
    assert [p.text for p in paths.find_paths(text)] == [path]


@pytest.mark.parametrize("text", NOT_FOUND)
def test_not_personal_paths(text: str) -> None:
    assert paths.find_paths(text) == []


def test_fix_paths_relative_to_project_or_home(repo: Path, runner: CliRunner) -> None:
    folder = write_project(
        repo,
        "churn",
        good_readme(),
        {
            "data/train.csv": "a,b\n",
            "src/load.py": 'A = "/home/maya/work/churn/data/train.csv"\n'
            'B = "/home/maya/Downloads/other.csv"\n'
            'C = "C:\\\\Users\\\\maya\\\\churn\\\\data\\\\train.csv"\n',
        },
    )
    exit_code, out, _ = run_cli(runner, "clean", "--check")
    assert exit_code == 1
    assert out.count("PA001") == 3
    assert "projects/churn/src/load.py:1:6: PA001 personal absolute path" in out
    exit_code, out, err = run_cli(runner, "clean", "--fix-paths")
    assert (folder / "src/load.py").read_text() == (
        'A = "../data/train.csv"\nB = "~/Downloads/other.csv"\nC = "..\\\\data\\\\train.csv"\n'
    )
    assert "PA001" not in out
    exit_code, out, _ = run_cli(runner, "clean", "--check")
    assert exit_code == 0, out


def test_fix_paths_in_notebook_outputs(repo: Path, runner: CliRunner) -> None:
    nb = {
        "cells": [
            {
                "cell_type": "code",
                "execution_count": 1,
                "id": "a",
                "metadata": {},
                "outputs": [
                    {
                        "name": "stdout",
                        "output_type": "stream",
                        "text": "saved /home/maya/proj/model.pkl\n",
                    }
                ],
                "source": "save('/home/maya/proj/model.pkl')",
            }
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    folder = write_project(repo, "demo", good_readme(), {"n.ipynb": json.dumps(nb)})
    exit_code, out, _ = run_cli(runner, "clean", "--check")
    assert out.count("PA001") == 2 and "in cell 1 source" in out and "in cell 1 output" in out
    run_cli(runner, "clean", "--fix-paths")
    cell = json.loads((folder / "n.ipynb").read_text())["cells"][0]
    assert "".join(cell["source"]) == 'save("~/proj/model.pkl")'
    assert "".join(cell["outputs"][0]["text"]) == "saved ~/proj/model.pkl\n"


def test_ruff_scratch_copies_go_to_a_ram_disk_unless_tmpdir_is_set(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    assert code.scratch_parents() == [None]  # the user's choice, as tempfile takes it
    monkeypatch.delenv("TMPDIR")
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    parents = code.scratch_parents()
    assert parents[-1] is None  # the usual temp folder comes last
    if sys.platform.startswith("linux") and os.path.isdir("/dev/shm"):
        assert parents[0] == "/dev/shm"
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    assert code.scratch_parents()[0] == str(tmp_path)
    # formatting through the scratch place gives ruff's result, read back from stdout
    job = code.FormatJob(None, files={"a.py": "x=1\n"}, notebooks={"n": ["y=[1,2]", "%time z"]})
    result = code.run_ruff([job])
    assert result.problem is None
    assert result.files == {"a.py": "x = 1\n"}
    assert result.cells == {"n": ["y = [1, 2]", "%time z"]}
    assert list(tmp_path.iterdir()) == []  # the scratch folder is gone


def test_fifo_symlinks_and_empty_files_are_skipped_without_blocking(
    repo: Path, tmp_path: Path
) -> None:
    """Files are opened without following symlinks and without waiting on a FIFO."""
    folder = write_project(repo, "demo", good_readme(), {"a.py": "x=1  \n", "empty.py": ""})
    os.mkfifo(folder / "pipe.py")  # nobody writes to it: a blocking open would hang here
    (folder / "inside.py").symlink_to(folder / "a.py")
    outside = tmp_path / "outside.ipynb"
    outside.write_text("{}", encoding="utf-8")
    (folder / "link.ipynb").symlink_to(outside)
    names = ["pipe.py", "inside.py", "link.ipynb", "empty.py", "a.py"]
    proc = subprocess.run(
        [sys.executable, "-m", "repofolio", "clean", *(f"projects/demo/{n}" for n in names)],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "projects/demo/link.ipynb: CL002 symlink leaves the repository" in proc.stdout
    assert proc.stderr.count("Rewriting ") == 1 and "Rewriting projects/demo/a.py" in proc.stderr
    assert (folder / "a.py").read_text(encoding="utf-8") == "x = 1\n"
    assert (folder / "inside.py").is_symlink() and (folder / "empty.py").read_bytes() == b""
    assert outside.read_text(encoding="utf-8") == "{}"
