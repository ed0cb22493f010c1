from __future__ import annotations

import math

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

from conformal import (
    SplitConformalClassifier,
    class_coverage,
    conformal_quantile,
    coverage,
    mean_set_size,
    naive_sets,
    singleton_rate,
)
from conformal.predictors import aps_scores, lac_scores


def test_quantile_uses_the_finite_sample_rank() -> None:
    scores = np.arange(1.0, 20.0)  # n = 19: rank ceil(20 * 0.9) = 18
    assert conformal_quantile(scores, 0.1) == 18.0
    assert conformal_quantile(scores[::-1], 0.1) == 18.0  # order does not matter


def test_quantile_is_infinite_when_alpha_is_too_small_for_n() -> None:
    assert conformal_quantile(np.array([0.1, 0.2, 0.3]), 0.1) == math.inf


@pytest.mark.parametrize("alpha", [0.0, 1.0, -0.1])
def test_quantile_rejects_alpha_outside_unit_interval(alpha: float) -> None:
    with pytest.raises(ValueError, match="alpha"):
        conformal_quantile(np.array([0.5]), alpha)


def test_lac_score_is_one_minus_probability() -> None:
    proba = np.array([[0.7, 0.2, 0.1]])
    np.testing.assert_allclose(lac_scores(proba), [[0.3, 0.8, 0.9]])


def test_aps_score_is_mass_ranked_above_plus_own_mass() -> None:
    proba = np.array([[0.2, 0.5, 0.3]])
    np.testing.assert_allclose(aps_scores(proba), [[1.0, 0.5, 0.8]])
    np.testing.assert_allclose(aps_scores(proba, np.array([0.0])), [[0.8, 0.0, 0.5]])


def test_naive_sets_stop_once_the_mass_reaches_one_minus_alpha() -> None:
    proba = np.array([[0.5, 0.3, 0.2], [0.05, 0.9, 0.05]])
    sets = naive_sets(proba, alpha=0.25)
    assert sets.tolist() == [[True, True, False], [False, True, False]]


def test_metrics_on_a_hand_made_example() -> None:
    sets = np.array([[True, False], [True, True], [False, True], [True, False]])
    y_idx = np.array([0, 1, 0, 1])
    assert coverage(sets, y_idx) == 0.5
    assert mean_set_size(sets) == 1.25
    assert singleton_rate(sets) == 0.75
    assert class_coverage(sets, y_idx) == {0: 0.5, 1: 0.5}


def _data(seed: int) -> tuple[np.ndarray, np.ndarray]:
    return make_classification(
        n_samples=3000,
        n_features=10,
        n_informative=6,
        n_classes=4,
        n_clusters_per_class=1,
        flip_y=0.05,
        random_state=seed,
    )


@pytest.mark.parametrize("score", ["lac", "aps"])
def test_marginal_coverage_holds_over_repeated_splits(score: str) -> None:
    X, y = _data(0)
    alpha, n_cal = 0.1, 500
    covers = []
    for seed in range(20):
        X_tr, X_rest, y_tr, y_rest = train_test_split(X, y, train_size=1000, random_state=seed)
        X_cal, X_te, y_cal, y_te = train_test_split(
            X_rest, y_rest, train_size=n_cal, random_state=seed
        )
        model = LogisticRegression(max_iter=1000).fit(X_tr, y_tr)
        cp = SplitConformalClassifier(model, alpha, score=score, seed=seed)  # type: ignore[arg-type]
        sets = cp.calibrate(X_cal, y_cal).predict_sets(X_te)
        covers.append(coverage(sets, y_te))
    # Theory: 1 - alpha <= E[coverage] <= 1 - alpha + 1 / (n_cal + 1); 20 splits of 1500 test
    # points give a standard error near 0.004.
    assert 1 - alpha - 0.012 <= np.mean(covers) <= 1 - alpha + 1 / (n_cal + 1) + 0.012


def test_sets_are_nested_in_alpha() -> None:
    X, y = _data(1)
    X_tr, X_cal, y_tr, y_cal = train_test_split(X, y, test_size=0.5, random_state=0)
    model = LogisticRegression(max_iter=1000).fit(X_tr, y_tr)
    wide = SplitConformalClassifier(model, 0.02).calibrate(X_cal, y_cal).predict_sets(X[:300])
    narrow = SplitConformalClassifier(model, 0.3).calibrate(X_cal, y_cal).predict_sets(X[:300])
    assert np.all(narrow <= wide)
    assert mean_set_size(wide) > mean_set_size(narrow)


def test_conformal_fixes_an_overconfident_model() -> None:
    """Naive Bayes on correlated features is overconfident: naive sets under-cover."""
    from sklearn.datasets import load_digits
    from sklearn.naive_bayes import GaussianNB

    X, y = load_digits(return_X_y=True)
    X_tr, X_rest, y_tr, y_rest = train_test_split(X, y, train_size=0.5, random_state=0, stratify=y)
    X_cal, X_te, y_cal, y_te = train_test_split(
        X_rest, y_rest, train_size=0.5, random_state=0, stratify=y_rest
    )
    model = GaussianNB().fit(X_tr, y_tr)
    naive = coverage(naive_sets(model.predict_proba(X_te), 0.1), y_te)
    cp = SplitConformalClassifier(model, 0.1).calibrate(X_cal, y_cal)
    assert naive < 0.88
    assert coverage(cp.predict_sets(X_te), y_te) >= 0.88


def test_predict_before_calibrate_is_an_error() -> None:
    X, y = _data(2)
    model = LogisticRegression(max_iter=1000).fit(X, y)
    with pytest.raises(RuntimeError, match="calibrate"):
        SplitConformalClassifier(model).predict_sets(X)


def test_unknown_score_and_unseen_label_are_errors() -> None:
    X, y = _data(3)
    model = LogisticRegression(max_iter=1000).fit(X, y)
    with pytest.raises(ValueError, match="unknown score"):
        SplitConformalClassifier(model, score="softmax")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="not seen"):
        SplitConformalClassifier(model).calibrate(X[:5], np.array([0, 1, 2, 3, 9]))
