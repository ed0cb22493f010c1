from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from weekcast.backtest import backtest, mape, mase, origins, summary


def test_origins_end_at_the_last_observation() -> None:
    assert origins(500, horizon=52, folds=3, step=26) == [396, 422, 448]


def test_too_little_data_for_the_folds_is_an_error() -> None:
    with pytest.raises(ValueError, match="need at least 364 weeks of data, got 300"):
        origins(300, horizon=52, folds=5, step=52)


def test_mase_is_one_for_the_seasonal_naive_error_level() -> None:
    history = np.tile([0.0, 2.0], 60)  # seasonal naive with season 2 would be perfect
    history[::7] += 1.0  # in-sample seasonal error: mean |diff| at lag 52
    scale = np.mean(np.abs(history[52:] - history[:-52]))
    actual = np.zeros(4)
    assert mase(actual, actual + scale, history) == pytest.approx(1.0)


def test_mape_is_undefined_with_zeros() -> None:
    assert np.isnan(mape(np.array([0.0, 1.0]), np.array([1.0, 1.0])))
    assert mape(np.array([2.0, 4.0]), np.array([1.0, 4.0])) == pytest.approx(25.0)


def test_backtest_ranks_seasonal_models_first(series: pd.Series) -> None:
    scores = backtest(
        series.to_numpy(),
        ["naive", "seasonal-naive", "fourier-ridge"],
        horizon=26,
        folds=3,
        step=26,
    )
    assert len(scores) == 9
    rows = summary(scores)
    assert rows[0]["model"] == "fourier-ridge"
    assert rows[-1]["model"] == "naive"
    assert float(rows[0]["mase"]) < 1.0
