"""The data, set up like a Kaggle competition: a labelled train set and a hidden test set."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split


class Split(NamedTuple):
    X_train: NDArray[np.float64]
    y_train: NDArray[np.int64]
    X_test: NDArray[np.float64]
    y_test: NDArray[np.int64]  # the "private" labels: only score_submission reads them


def competition_split(test_size: float = 0.3, seed: int = 42) -> Split:
    """scikit-learn's 1,797 8x8 digits (pixel values 0..16), split once and stratified."""
    X, y = load_digits(return_X_y=True)
    X_tr, X_te, y_tr, y_te = train_test_split(
        X, y, test_size=test_size, stratify=y, random_state=seed
    )
    return Split(X_tr, y_tr, X_te, y_te)
