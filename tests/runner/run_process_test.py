"""runner.process: bounded output, process groups, the useful line of a failure."""

from __future__ import annotations

import textwrap
from pathlib import Path

from click.testing import CliRunner
from repofolio.runner.process import Tail, error_line
from runfixtures import env_dir, project, run_json, use_envs

__all__ = ["env_dir"]  # a fixture


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


def test_tail_keeps_memory_bounded_and_the_last_lines() -> None:
    tail = Tail(max_bytes=1000)
    for i in range(100_000):
        tail.feed(f"line {i}\n".encode())
    assert tail.total > 500_000
    assert tail.kept <= 1000 + 20
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
