"""Forecasters with one interface: ``fit(y) -> self``, ``predict(h) -> array of h values``.

``y`` is a 1-D float array of consecutive weeks. Keeping the models this small is what made
the backtest in ``backtest.py`` trustworthy: every model sees exactly the same history.
"""

from __future__ import annotations

import warnings
from typing import Protocol

import numpy as np
from numpy.typing import NDArray
from sklearn.linear_model import Ridge

Array = NDArray[np.float64]
WEEKS_PER_YEAR = 365.25 / 7  # 52.18: a 52-week season drifts a day and a quarter a year


class Forecaster(Protocol):
    name: str

    def fit(self, y: Array) -> Forecaster: ...

    def predict(self, horizon: int) -> Array: ...


class Naive:
    """Tomorrow is today: the last value, repeated."""

    name = "naive"

    def fit(self, y: Array) -> Naive:
        self.last = float(y[-1])
        return self

    def predict(self, horizon: int) -> Array:
        return np.full(horizon, self.last)


class SeasonalNaive:
    """The same week last year (52 weeks back), repeated."""

    name = "seasonal-naive"

    def __init__(self, season: int = 52) -> None:
        self.season = season

    def fit(self, y: Array) -> SeasonalNaive:
        if len(y) < self.season:
            raise ValueError(f"need at least {self.season} weeks, got {len(y)}")
        self.last_season = np.asarray(y[-self.season :], dtype=float)
        return self

    def predict(self, horizon: int) -> Array:
        reps = -(-horizon // self.season)
        return np.tile(self.last_season, reps)[:horizon]


class HoltWinters:
    """Additive trend and 52-week additive season (statsmodels' ExponentialSmoothing)."""

    name = "holt-winters"

    def __init__(self, season: int = 52) -> None:
        self.season = season

    def fit(self, y: Array) -> HoltWinters:
        from statsmodels.tsa.holtwinters import ExponentialSmoothing

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # convergence chatter on short histories
            self.result = ExponentialSmoothing(
                np.asarray(y, dtype=float),
                trend="add",
                seasonal="add",
                seasonal_periods=self.season,
            ).fit()
        return self

    def predict(self, horizon: int) -> Array:
        return np.asarray(self.result.forecast(horizon), dtype=float)


class FourierRidge:
    """Ridge regression on a quadratic trend and Fourier terms of the true year length.

    Fourier terms with period 52.18 weeks keep the season aligned over decades, which a
    52-week seasonal lag cannot.
    """

    name = "fourier-ridge"

    def __init__(self, harmonics: int = 3, alpha: float = 1e-3, window: int | None = 520) -> None:
        self.harmonics = harmonics
        self.alpha = alpha
        self.window = window  # fit on the last 10 years: the trend bends over 40

    def _features(self, t: Array) -> Array:
        scaled = t / 1000.0
        cols = [scaled, scaled**2]
        for k in range(1, self.harmonics + 1):
            angle = 2 * np.pi * k * t / WEEKS_PER_YEAR
            cols += [np.sin(angle), np.cos(angle)]
        return np.column_stack(cols)

    def fit(self, y: Array) -> FourierRidge:
        y = np.asarray(y, dtype=float)
        self.n = len(y)
        start = 0 if self.window is None else max(0, self.n - self.window)
        t = np.arange(start, self.n, dtype=float)
        self.model = Ridge(alpha=self.alpha).fit(self._features(t), y[start:])
        return self

    def predict(self, horizon: int) -> Array:
        t = np.arange(self.n, self.n + horizon, dtype=float)
        return np.asarray(self.model.predict(self._features(t)), dtype=float)


MODELS: dict[str, type] = {m.name: m for m in (Naive, SeasonalNaive, HoltWinters, FourierRidge)}


def make(name: str) -> Forecaster:
    try:
        return MODELS[name]()  # type: ignore[no-any-return]
    except KeyError:
        raise ValueError(f"unknown model '{name}'; choose from {', '.join(MODELS)}") from None
