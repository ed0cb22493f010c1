"""raised: the error outputs a notebook holds; NB016 in folio check."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
from click.testing import CliRunner
from conftest import commit, good_readme, run_cli, write_project
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from repofolio.raised import Raised, raised_in_file, raised_in_text


def raising_notebook() -> str:
    error = new_output(
        "error", ename="ZeroDivisionError", evalue="division by zero", traceback=["Traceback"]
    )
    cells = [
        new_markdown_cell("# Analysis"),
        new_code_cell("print('ok')", outputs=[new_output("stream", name="stdout", text="ok\n")]),
        new_code_cell("1 / 0", outputs=[error]),
        # the words of an error output inside a string are not an error output
        new_code_cell('s = \'"output_type": "error"\''),
        new_code_cell("raise KeyError", outputs=[new_output("error", ename="KeyError", evalue="")]),
    ]
    return nbformat.writes(new_notebook(cells=cells))


def test_raised_cells_number_as_jupyter_and_point_at_the_line(tmp_path: Path) -> None:
    text = raising_notebook()
    found = raised_in_text(text)
    lines = text.splitlines()
    assert [(r.cell, r.ename, r.evalue) for r in found] == [
        (3, "ZeroDivisionError", "division by zero"),
        (5, "KeyError", ""),
    ]
    assert all('"output_type": "error"' in lines[r.line - 1] for r in found)
    assert found[0].text == "cell 3 raised ZeroDivisionError: division by zero"
    assert found[1].text == "cell 5 raised KeyError"
    path = tmp_path / "a.ipynb"
    path.write_text(text, encoding="utf-8")
    assert raised_in_file(path) == found


def test_nothing_raised_or_nothing_readable_is_empty(tmp_path: Path) -> None:
    quiet = nbformat.writes(new_notebook(cells=[new_code_cell("x = 1")]))
    assert raised_in_text(quiet) == []
    assert raised_in_text('{"cells": [ "output_type": "error"') == []  # truncated JSON
    assert raised_in_text(json.dumps({"cells": "no", "x": {"output_type": "error"}})) == []
    assert raised_in_file(tmp_path / "missing.ipynb") == []
    (tmp_path / "latin.ipynb").write_bytes(b'{"output_type": "error", "\xff"}')
    assert raised_in_file(tmp_path / "latin.ipynb") == []
    assert Raised(1, "E", "").text == "cell 1 raised E"


def test_nb016_warns_for_each_cell_that_raised(repo: Path, runner: CliRunner) -> None:
    write_project(repo, "eda", good_readme("Eda"), {"eda.ipynb": raising_notebook()})
    commit(repo)
    code, out, _ = run_cli(runner, "check", "--select", "NB016")
    assert code == 0  # a warning
    text = raising_notebook().splitlines()
    line = next(i for i, ln in enumerate(text, 1) if '"output_type": "error"' in ln)
    assert out.splitlines()[0] == (
        f"projects/eda/eda.ipynb:{line}:1: NB016 notebook has error outputs: cell 3 raised "
        "ZeroDivisionError: division by zero; fix the cell and run it again"
    )
    assert len(out.splitlines()) == 2
    code, out, _ = run_cli(runner, "check", "--list-codes")
    assert "NB016" in out
