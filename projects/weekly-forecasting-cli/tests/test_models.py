from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from weekcast.backtest import mae
from weekcast.models import FourierRidge, HoltWinters, Naive, SeasonalNaive, make


def test_naive_repeats_the_last_value() -> None:
    assert Naive().fit(np.array([1.0, 2.0, 5.0])).predict(3).tolist() == [5.0, 5.0, 5.0]


def test_seasonal_naive_repeats_the_last_season() -> None:
    y = np.tile(np.arange(4.0), 3)
    assert SeasonalNaive(season=4).fit(y).predict(6).tolist() == [0, 1, 2, 3, 0, 1]
    with pytest.raises(ValueError, match="at least 4 weeks"):
        SeasonalNaive(season=4).fit(np.ones(3))


@pytest.mark.parametrize("model", [HoltWinters(), FourierRidge()])
def test_seasonal_models_beat_naive_on_a_seasonal_series(series: pd.Series, model) -> None:
    history, future = series.to_numpy()[:-52], series.to_numpy()[-52:]
    error = mae(future, model.fit(history).predict(52))
    assert error < 0.5  # amplitude is 3, noise 0.05
    assert error < mae(future, Naive().fit(history).predict(52)) / 3


def test_fourier_terms_follow_the_true_year_length() -> None:
    """Over 20 years a 52-week lag drifts 25 days; Fourier terms of 52.18 weeks do not."""
    t = np.arange(20 * 52 + 52, dtype=float)
    y = np.sin(2 * np.pi * t / (365.25 / 7))
    history, future = y[:-52], y[-52:]
    ridge = FourierRidge(window=None).fit(history).predict(52)
    lag = SeasonalNaive().fit(history).predict(52)
    assert mae(future, ridge) < 0.01
    assert mae(future, lag) > mae(future, ridge)


def test_unknown_model_names_the_choices() -> None:
    with pytest.raises(ValueError, match="choose from naive, seasonal-naive"):
        make("prophet")
