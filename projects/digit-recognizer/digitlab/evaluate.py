"""Cross-validation that augments inside the folds, and Kaggle-style submission files."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.base import clone
from sklearn.model_selection import StratifiedKFold

from digitlab.augment import augment


def cv_accuracy(
    model: Any,
    X: NDArray[Any],
    y: NDArray[Any],
    *,
    augmented: bool = False,
    folds: int = 5,
    seed: int = 0,
) -> NDArray[np.float64]:
    """Accuracy per fold. With ``augmented``, only the training folds are augmented.

    Augmenting before splitting would put shifted copies of a validation image into
    training, so the fold would partly score images the model has already seen.
    """
    scores = []
    for train, valid in StratifiedKFold(folds, shuffle=True, random_state=seed).split(X, y):
        X_fit, y_fit = augment(X[train], y[train]) if augmented else (X[train], y[train])
        fitted = clone(model).fit(X_fit, y_fit)
        scores.append(float((fitted.predict(X[valid]) == y[valid]).mean()))
    return np.array(scores)


def write_submission(labels: NDArray[Any], path: Path) -> Path:
    """``ImageId,Label`` with 1-based ids, the Digit Recognizer format."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["ImageId", "Label"])
        writer.writerows((i, int(label)) for i, label in enumerate(labels, start=1))
    return path


def read_submission(path: Path) -> NDArray[np.int64]:
    with open(path, newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader, None)
        if header != ["ImageId", "Label"]:
            raise ValueError(f"{path}: header must be ImageId,Label, got {header}")
        rows = [(int(i), int(label)) for i, label in reader]
    ids = [i for i, _ in rows]
    if ids != list(range(1, len(rows) + 1)):
        raise ValueError(f"{path}: ImageId must run 1..{len(rows)} in order")
    return np.array([label for _, label in rows], dtype=np.int64)


def score_submission(path: Path, y_true: NDArray[Any]) -> float:
    """Leaderboard accuracy of a submission file against the hidden labels."""
    labels = read_submission(path)
    if len(labels) != len(y_true):
        raise ValueError(f"{path}: {len(labels)} rows, expected {len(y_true)}")
    return float((labels == y_true).mean())
