"""The committed notebook runs from top to bottom and reproduces its leaderboard score."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import nbformat
from nbclient import NotebookClient

PROJECT = Path(__file__).resolve().parents[1]


def test_notebook_executes_and_scores(tmp_path: Path) -> None:
    shutil.copytree(PROJECT / "digitlab", tmp_path / "digitlab")
    (tmp_path / "notebooks").mkdir()
    nb = nbformat.read(PROJECT / "notebooks" / "digit-recognizer.ipynb", as_version=4)
    NotebookClient(
        nb,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path / "notebooks")}},
    ).execute()
    text = "".join(
        out.get("text", "") for cell in nb.cells if cell.cell_type == "code" for out in cell.outputs
    )
    assert not any(out.output_type == "error" for c in nb.cells for out in c.get("outputs", []))
    match = re.search(r"final: (\d+)/540 correct, leaderboard accuracy (0\.\d+)", text)
    assert match is not None, text[-500:]
    assert int(match.group(1)) >= 535
    assert (tmp_path / "images" / "confusion-matrix.png").stat().st_size > 10_000
    assert len(list((tmp_path / "submissions").glob("*.csv"))) == 4
