from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest import seasonal_series

from weekcast.cli import main

PROJECT = Path(__file__).resolve().parents[1]


@pytest.fixture
def csv_file(tmp_path: Path) -> Path:
    path = tmp_path / "sales.csv"
    s = seasonal_series()
    pd.DataFrame({"week": s.index.date, "units": s.to_numpy()}).to_csv(path, index=False)
    return path


def test_backtest_table(csv_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "backtest",
            "--csv",
            str(csv_file),
            "--date-column",
            "week",
            "--value-column",
            "units",
            "--folds",
            "2",
            "--models",
            "naive",
            "seasonal-naive",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert out.startswith("312 weeks, 1990-01-06 to 1995-12-23; 2 folds of 52 weeks")
    assert "seasonal-naive" in out.splitlines()[2]  # the better model is listed first


def test_backtest_json_and_plot(
    csv_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    png = tmp_path / "fig" / "bt.png"
    code = main(
        [
            "backtest",
            "--csv",
            str(csv_file),
            "--date-column",
            "week",
            "--value-column",
            "units",
            "--folds",
            "1",
            "--format",
            "json",
            "--models",
            "holt-winters",
            "--plot",
            str(png),
        ]
    )
    rows = json.loads(capsys.readouterr().out)
    assert code == 0 and rows[0]["model"] == "holt-winters" and rows[0]["mase"] < 1
    assert png.read_bytes()[:4] == b"\x89PNG"


def test_forecast_writes_future_weeks(csv_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "forecast.csv"
    code = main(
        [
            "forecast",
            "--csv",
            str(csv_file),
            "--date-column",
            "week",
            "--value-column",
            "units",
            "--model",
            "seasonal-naive",
            "--horizon",
            "3",
            "--out",
            str(out),
        ]
    )
    frame = pd.read_csv(out)
    assert code == 0
    assert frame["date"].tolist() == ["1995-12-30", "1996-01-06", "1996-01-13"]


def test_bad_input_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["backtest", "--csv", str(tmp_path / "nope.csv")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "nope.csv: no such file" in err
    assert main(["backtest", "--dataset", "co2"]) == 2  # the 18-week gap of 1964
    assert "gap of 18 weeks from 1964-01-25" in capsys.readouterr().err


def test_bad_numbers_are_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["backtest", "--horizon", "0"])
    assert exc.value.code == 2
    assert "--horizon must be at least 1" in capsys.readouterr().err


def test_module_entry_point() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "weekcast", "--version"],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == "weekcast 2.0.0"
