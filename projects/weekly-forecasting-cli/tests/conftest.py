from __future__ import annotations

import numpy as np
import pandas as pd
import pytest


def seasonal_series(weeks: int = 312, noise: float = 0.05, seed: int = 0) -> pd.Series:
    """Trend + yearly season + noise, weekly on Saturdays, like the CO2 record."""
    rng = np.random.default_rng(seed)
    t = np.arange(weeks, dtype=float)
    values = 300 + 0.03 * t + 3 * np.sin(2 * np.pi * t / (365.25 / 7)) + rng.normal(0, noise, weeks)
    index = pd.date_range("1990-01-06", periods=weeks, freq="W-SAT")
    return pd.Series(values, index=index, name="y")


@pytest.fixture
def series() -> pd.Series:
    return seasonal_series()
