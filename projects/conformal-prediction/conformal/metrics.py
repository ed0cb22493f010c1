"""Metrics for prediction sets given as boolean matrices (n_samples, n_classes)."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray


def _hits(sets: NDArray[np.bool_], y_idx: NDArray[np.intp]) -> NDArray[np.bool_]:
    return sets[np.arange(len(y_idx)), y_idx]


def coverage(sets: NDArray[np.bool_], y_idx: NDArray[np.intp]) -> float:
    """Fraction of samples whose true label is in its set."""
    return float(_hits(sets, y_idx).mean())


def mean_set_size(sets: NDArray[np.bool_]) -> float:
    return float(sets.sum(axis=1).mean())


def singleton_rate(sets: NDArray[np.bool_]) -> float:
    """Fraction of sets with exactly one label: the cases where the model can decide alone."""
    return float((sets.sum(axis=1) == 1).mean())


def class_coverage(sets: NDArray[np.bool_], y_idx: NDArray[np.intp]) -> dict[int, float]:
    """Coverage within each true class; split conformal only promises the average."""
    hits = _hits(sets, y_idx)
    return {int(c): float(hits[y_idx == c].mean()) for c in np.unique(y_idx)}


def summarize(values: list[float] | NDArray[Any]) -> tuple[float, float]:
    arr = np.asarray(values, dtype=float)
    return float(arr.mean()), float(arr.std(ddof=1)) if len(arr) > 1 else 0.0
