"""Loading a weekly series: from a CSV, or the CO2 record that ships with statsmodels."""

from __future__ import annotations

from pathlib import Path

import pandas as pd


class DataError(ValueError):
    """Input that cannot be turned into a weekly series; the CLI prints it on one line."""


def load_co2() -> pd.Series:
    """Weekly mean CO2 (ppm) at Mauna Loa, March 1958 to December 2001, 2,284 weeks."""
    from statsmodels.datasets import co2

    series = co2.load_pandas().data["co2"]
    series.name = "co2"
    return series


DATASETS = {"co2": load_co2}


def load_csv(path: Path, date_column: str, value_column: str) -> pd.Series:
    if not path.is_file():
        raise DataError(f"{path}: no such file")
    try:
        frame = pd.read_csv(path)
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        raise DataError(f"{path}: not a readable CSV ({exc.__class__.__name__})") from None
    for column in (date_column, value_column):
        if column not in frame.columns:
            raise DataError(
                f"{path}: no column '{column}'; columns are {', '.join(map(str, frame.columns))}"
            )
    dates = pd.to_datetime(frame[date_column], errors="coerce")
    if dates.isna().any():
        row = int(dates.isna().to_numpy().argmax()) + 2  # 1-based, after the header
        raise DataError(f"{path}:{row}: '{frame[date_column].iloc[row - 2]}' is not a date")
    values = pd.to_numeric(frame[value_column], errors="coerce")
    series = pd.Series(values.to_numpy(), index=pd.DatetimeIndex(dates), name=value_column)
    return series.sort_index()


def to_weekly(
    series: pd.Series, max_gap: int = 4, since: str | None = None, gaps: str = "interpolate"
) -> pd.Series:
    """A regular weekly series: resampled on the series' own weekday, short gaps interpolated.

    The 2022 script dropped missing weeks, which silently shifted every later week against
    the 52-week season; here a gap keeps its place and is filled by linear interpolation.
    Gaps longer than ``max_gap`` weeks are an error, not a guess; ``since`` (a date) drops
    the weeks before it, for example an early stretch with a long gap. ``gaps="drop"``
    reproduces the old behaviour, for comparison only.
    """
    if since is not None:
        try:
            start = pd.Timestamp(since)
        except ValueError:
            raise DataError(f"--since '{since}' is not a date") from None
        series = series[series.index >= start]
    if len(series) < 3:
        raise DataError("need at least 3 observations")
    if series.index.has_duplicates:
        raise DataError(f"duplicate date {series.index[series.index.duplicated()][0].date()}")
    anchor = series.index[0].day_name()[:3].upper()
    weekly = series.resample(f"W-{anchor}").mean()
    missing = weekly.isna()
    if missing.all():
        raise DataError("no numeric values")
    if gaps == "drop":
        return weekly.dropna()
    runs = missing.groupby((~missing).cumsum()).sum()
    if runs.max() > max_gap:
        group = runs.idxmax()
        first = weekly.index[((~missing).cumsum() == group) & missing][0]
        raise DataError(
            f"a gap of {int(runs.max())} weeks from {first.date()} is longer than --max-gap "
            f"{max_gap}; start after it with --since or raise --max-gap"
        )
    return weekly.interpolate(limit_direction="both")
