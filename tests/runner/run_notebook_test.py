"""runner.notebook: notebooks executed by a real Jupyter kernel in the project's environment."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from click.testing import CliRunner
from conftest import commit
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from repofolio.runner.notebook import compare_outputs
from runfixtures import compare_cell, env_dir, project, run_json, use_envs

__all__ = ["env_dir"]  # a fixture


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
    # a message that reads like another reason is not one: the reason is data, not text
    words = new_notebook(cells=[new_code_cell("raise ValueError('the output differs')")])
    project(repo, "nb-raises", "", {"analysis.ipynb": nbformat.writes(raising)})
    project(repo, "nb-same", "", {"notebooks/same.ipynb": nbformat.writes(same)})
    project(repo, "nb-differs", "", {"differs.ipynb": nbformat.writes(differs)})
    project(repo, "nb-words", "", {"words.ipynb": nbformat.writes(words)})
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
    assert report["nb-words"]["reason"] == "notebook failed"
    assert "raised ValueError: the output differs" in str(report["nb-words"]["message"])
    assert report["nb-words"]["steps"][-1]["cell"] == 1  # type: ignore[index]
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
