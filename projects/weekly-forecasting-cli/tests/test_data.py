from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from weekcast.data import DataError, load_co2, load_csv, to_weekly


def test_co2_is_the_mauna_loa_weekly_record() -> None:
    co2 = load_co2()
    assert len(co2) == 2284
    assert str(co2.index[0].date()) == "1958-03-29"
    assert 310 < co2.min() and co2.max() < 380


def test_gap_keeps_its_place_and_is_interpolated(series: pd.Series) -> None:
    holed = series.drop(series.index[10:12])
    weekly = to_weekly(holed)
    assert len(weekly) == len(series)
    assert weekly.index.equals(series.index)
    assert weekly.iloc[11] == pytest.approx((series.iloc[9] * 1 + series.iloc[12] * 2) / 3)


def test_dropping_gaps_is_the_old_behaviour(series: pd.Series) -> None:
    holed = series.drop(series.index[10:12])
    assert len(to_weekly(holed, gaps="drop")) == len(series) - 2


def test_long_gap_is_an_error_naming_its_start(series: pd.Series) -> None:
    holed = series.drop(series.index[20:30])
    with pytest.raises(DataError, match=r"gap of 10 weeks from 1990-05-26.*--since"):
        to_weekly(holed)
    assert len(to_weekly(holed, max_gap=10)) == len(series)


def test_since_drops_the_early_weeks(series: pd.Series) -> None:
    holed = series.drop(series.index[20:30])
    weekly = to_weekly(holed, since="1990-08-01")
    assert weekly.index[0] == pd.Timestamp("1990-08-04")
    with pytest.raises(DataError, match="not a date"):
        to_weekly(series, since="last spring")


def test_daily_data_is_averaged_per_week() -> None:
    days = pd.date_range("2024-01-06", periods=28, freq="D")  # a Saturday
    weekly = to_weekly(pd.Series(np.arange(28.0), index=days))
    assert weekly.tolist() == [0.0, 4.0, 11.0, 18.0, 24.5]


def test_duplicate_dates_are_an_error(series: pd.Series) -> None:
    doubled = pd.concat([series.iloc[:5], series.iloc[4:6]])
    with pytest.raises(DataError, match="duplicate date 1990-02-03"):
        to_weekly(doubled)


def test_csv_loading_and_its_errors(tmp_path: Path) -> None:
    good = tmp_path / "sales.csv"
    good.write_text("week,units\n2024-01-13,5\n2024-01-06,4\n2024-01-20,6\n")
    loaded = load_csv(good, "week", "units")
    assert loaded.tolist() == [4, 5, 6]  # sorted by date
    with pytest.raises(DataError, match="no such file"):
        load_csv(tmp_path / "missing.csv", "week", "units")
    with pytest.raises(DataError, match="no column 'sales'; columns are week, units"):
        load_csv(good, "week", "sales")
    bad = tmp_path / "bad.csv"
    bad.write_text("week,units\n2024-01-06,4\nsoon,5\n")
    with pytest.raises(DataError, match=r"bad.csv:3: 'soon' is not a date"):
        load_csv(bad, "week", "units")
