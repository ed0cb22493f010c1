"""Rolling-origin backtest: refit at each origin, forecast the next ``horizon`` weeks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from weekcast.models import Array, make


def mae(actual: Array, forecast: Array) -> float:
    return float(np.mean(np.abs(actual - forecast)))


def mape(actual: Array, forecast: Array) -> float:
    if np.any(actual == 0):
        return float("nan")  # undefined; MASE is the metric to read then
    return float(np.mean(np.abs((actual - forecast) / actual)) * 100)


def mase(actual: Array, forecast: Array, history: Array, season: int = 52) -> float:
    """MAE scaled by the in-sample MAE of the seasonal naive forecast (Hyndman & Koehler 2006).

    Below 1: better than "same week last year" was on the history.
    """
    scale = np.mean(np.abs(history[season:] - history[:-season]))
    return float(mae(actual, forecast) / scale) if scale > 0 else float("nan")


def origins(n: int, horizon: int, folds: int, step: int) -> list[int]:
    """Training-set lengths for each fold; the last fold ends at the last observation."""
    last = n - horizon
    starts = [last - step * i for i in range(folds)][::-1]
    if starts[0] < 2 * 52:
        raise ValueError(
            f"{folds} folds of {horizon} weeks every {step} weeks need at least "
            f"{2 * 52 + horizon + step * (folds - 1)} weeks of data, got {n}"
        )
    return starts


@dataclass
class FoldScore:
    model: str
    origin: int
    mae: float
    mape: float
    mase: float


def backtest(
    y: Array, model_names: Sequence[str], horizon: int = 52, folds: int = 5, step: int = 52
) -> list[FoldScore]:
    y = np.asarray(y, dtype=float)
    scores = []
    for cut in origins(len(y), horizon, folds, step):
        history, actual = y[:cut], y[cut : cut + horizon]
        for name in model_names:
            forecast = make(name).fit(history).predict(horizon)
            scores.append(
                FoldScore(
                    name,
                    cut,
                    mae(actual, forecast),
                    mape(actual, forecast),
                    mase(actual, forecast, history),
                )
            )
    return scores


def summary(scores: Sequence[FoldScore]) -> list[dict[str, float | str]]:
    """Mean of each metric per model, best MASE first."""
    rows: list[dict[str, float | str]] = []
    for name in dict.fromkeys(s.model for s in scores):
        mine = [s for s in scores if s.model == name]
        rows.append(
            {
                "model": name,
                "mae": float(np.mean([s.mae for s in mine])),
                "mape": float(np.mean([s.mape for s in mine])),
                "mase": float(np.mean([s.mase for s in mine])),
                "worst_mase": float(np.max([s.mase for s in mine])),
            }
        )
    return sorted(rows, key=lambda r: float(r["mase"]))
