from __future__ import annotations

import csv
from pathlib import Path

from conformal.experiment import main


def test_experiment_writes_tables_and_figure(tmp_path: Path) -> None:
    out, fig = tmp_path / "results", tmp_path / "coverage.png"
    code = main(
        [
            "--reps",
            "3",
            "--datasets",
            "wine",
            "--alphas",
            "0.1",
            "0.2",
            "--out",
            str(out),
            "--figure",
            str(fig),
        ]
    )
    assert code == 0
    rows = list(csv.DictReader(open(out / "results.csv")))
    assert len(rows) == 2 * 3 * 2  # models x methods x alphas
    conformal = [r for r in rows if r["method"] in ("lac", "aps")]
    # 3 splits of 45 test points: coverage stays near its target
    assert all(float(r["coverage"]) > 1 - float(r["alpha"]) - 0.1 for r in conformal)
    assert "| wine | logreg |" in (out / "results.md").read_text()
    assert fig.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
