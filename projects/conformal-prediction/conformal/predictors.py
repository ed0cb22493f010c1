"""Split conformal classifiers.

Given a fitted model and a calibration set the model never saw, a conformity score
s(x, y) and the finite-sample quantile of the calibration scores give prediction sets
C(x) = {y : s(x, y) <= q_hat} with P(Y in C(X)) >= 1 - alpha for exchangeable data
(Vovk et al. 2005; Angelopoulos & Bates 2021).
"""

from __future__ import annotations

import math
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

Score = Literal["lac", "aps"]


def conformal_quantile(scores: NDArray[np.floating[Any]], alpha: float) -> float:
    """The ceil((n + 1)(1 - alpha)) / n empirical quantile of the calibration scores.

    The +1 is what turns the empirical quantile into a finite-sample guarantee; when
    alpha is too small for n (the level would exceed 1) every label must be included,
    so the quantile is +inf.
    """
    if not 0.0 < alpha < 1.0:
        raise ValueError(f"alpha must be in (0, 1), got {alpha}")
    n = len(scores)
    if n == 0:
        raise ValueError("no calibration scores")
    rank = math.ceil((n + 1) * (1.0 - alpha))
    if rank > n:
        return math.inf
    return float(np.sort(scores)[rank - 1])


def lac_scores(proba: NDArray[np.floating[Any]]) -> NDArray[np.floating[Any]]:
    """Least ambiguous set-valued classifier score, 1 - p(y | x), for every label."""
    return 1.0 - proba


def aps_scores(
    proba: NDArray[np.floating[Any]], u: NDArray[np.floating[Any]] | None = None
) -> NDArray[np.floating[Any]]:
    """Adaptive prediction sets score for every label (Romano et al. 2020).

    s(x, y) is the probability mass of the labels ranked above y, plus u * p(y | x):
    u ~ U(0, 1) randomises the boundary label so coverage is exact, u = 1 gives the
    conservative deterministic version.
    """
    order = np.argsort(-proba, axis=1, kind="stable")
    sorted_p = np.take_along_axis(proba, order, axis=1)
    above = np.cumsum(sorted_p, axis=1) - sorted_p  # mass strictly ranked above
    weight = np.ones((proba.shape[0], 1)) if u is None else u.reshape(-1, 1)
    sorted_scores = above + weight * sorted_p
    scores = np.empty_like(sorted_scores)
    np.put_along_axis(scores, order, sorted_scores, axis=1)
    return scores


class SplitConformalClassifier:
    """Wraps a fitted classifier; ``calibrate`` on held-out data, then ``predict_sets``."""

    def __init__(
        self,
        model: Any,
        alpha: float = 0.1,
        score: Score = "lac",
        randomized: bool = True,
        seed: int | None = 0,
    ) -> None:
        if score not in ("lac", "aps"):
            raise ValueError(f"unknown score {score!r}; use 'lac' or 'aps'")
        self.model = model
        self.alpha = alpha
        self.score = score
        self.randomized = randomized
        self.rng = np.random.default_rng(seed)
        self.q_hat: float | None = None

    def _scores(self, proba: NDArray[np.floating[Any]]) -> NDArray[np.floating[Any]]:
        if self.score == "lac":
            return lac_scores(proba)
        u = self.rng.uniform(size=proba.shape[0]) if self.randomized else None
        return aps_scores(proba, u)

    def _label_index(self, y: NDArray[Any]) -> NDArray[np.intp]:
        classes = list(self.model.classes_)
        try:
            return np.array([classes.index(label) for label in y], dtype=np.intp)
        except ValueError as exc:
            raise ValueError(f"calibration label not seen by the model: {exc}") from None

    def calibrate(self, X: Any, y: NDArray[Any]) -> SplitConformalClassifier:
        proba = self.model.predict_proba(X)
        idx = self._label_index(np.asarray(y))
        true_scores = self._scores(proba)[np.arange(len(idx)), idx]
        self.q_hat = conformal_quantile(true_scores, self.alpha)
        return self

    def predict_sets(self, X: Any) -> NDArray[np.bool_]:
        """A boolean matrix (n_samples, n_classes): True where the label is in the set."""
        if self.q_hat is None:
            raise RuntimeError("call calibrate() before predict_sets()")
        return self._scores(self.model.predict_proba(X)) <= self.q_hat


def naive_sets(proba: NDArray[np.floating[Any]], alpha: float) -> NDArray[np.bool_]:
    """The uncalibrated baseline: most likely labels until their mass reaches 1 - alpha.

    This trusts the model's probabilities; an overconfident model under-covers.
    """
    order = np.argsort(-proba, axis=1, kind="stable")
    sorted_p = np.take_along_axis(proba, order, axis=1)
    above = np.cumsum(sorted_p, axis=1) - sorted_p
    keep_sorted = above < 1.0 - alpha  # include labels until the mass reaches 1 - alpha
    keep = np.empty_like(keep_sorted)
    np.put_along_axis(keep, order, keep_sorted, axis=1)
    return keep
