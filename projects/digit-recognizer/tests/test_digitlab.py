from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.svm import SVC

from digitlab import (
    augment,
    competition_split,
    cv_accuracy,
    read_submission,
    score_submission,
    shift,
    write_submission,
)


def _one_pixel(row: int, col: int) -> np.ndarray:
    img = np.zeros((1, 64))
    img[0, row * 8 + col] = 16
    return img


def test_shift_moves_a_pixel_right_and_down() -> None:
    moved = shift(_one_pixel(3, 3), dx=1, dy=1).reshape(8, 8)
    assert moved[4, 4] == 16 and moved.sum() == 16


def test_shift_drops_pixels_that_leave_the_frame() -> None:
    assert shift(_one_pixel(0, 7), dx=1, dy=0).sum() == 0
    assert shift(_one_pixel(0, 0), dx=0, dy=-1).sum() == 0


def test_augment_makes_five_labelled_copies() -> None:
    X = np.arange(2 * 64, dtype=float).reshape(2, 64)
    X_aug, y_aug = augment(X, np.array([3, 7]))
    assert X_aug.shape == (10, 64)
    assert y_aug.tolist() == [3, 7] * 5
    np.testing.assert_array_equal(X_aug[:2], X)


def test_competition_split_is_stratified_and_disjoint() -> None:
    data = competition_split(test_size=0.3, seed=42)
    assert len(data.y_train) == 1257 and len(data.y_test) == 540
    assert np.bincount(data.y_test).min() >= 52  # about 54 per class
    train_rows = {row.tobytes() for row in data.X_train}
    # digits has a few duplicate images; nearly every test image is new to training
    assert sum(row.tobytes() in train_rows for row in data.X_test) < 5


class _CountingClassifier(ClassifierMixin, BaseEstimator):
    """Remembers how many rows it was fitted on (a test double for sklearn, not for us)."""

    fitted_rows: list[int] = []

    def fit(self, X: np.ndarray, y: np.ndarray) -> _CountingClassifier:
        type(self).fitted_rows.append(len(X))
        self.classes_ = np.unique(y)
        return self

    def predict(self, X: np.ndarray) -> np.ndarray:
        return np.full(len(X), self.classes_[0])


def test_cv_augments_only_the_training_folds() -> None:
    data = competition_split()
    _CountingClassifier.fitted_rows = []
    cv_accuracy(_CountingClassifier(), data.X_train, data.y_train, augmented=True, folds=5)
    n_train_fold = len(data.y_train) * 4 // 5
    assert all(abs(n - 5 * n_train_fold) <= 5 for n in _CountingClassifier.fitted_rows)


def test_augmentation_makes_the_model_robust_to_shifts() -> None:
    data = competition_split()
    X_shifted = shift(data.X_test, dx=1, dy=0)
    plain = SVC(C=3, gamma=0.001).fit(data.X_train, data.y_train)
    augmented = SVC(C=3, gamma=0.001).fit(*augment(data.X_train, data.y_train))
    plain_acc = (plain.predict(X_shifted) == data.y_test).mean()
    aug_acc = (augmented.predict(X_shifted) == data.y_test).mean()
    assert aug_acc > 0.97
    assert aug_acc > plain_acc + 0.05


def test_submission_round_trip_and_score(tmp_path: Path) -> None:
    path = write_submission(np.array([1, 2, 3, 4]), tmp_path / "sub.csv")
    assert path.read_text().splitlines()[:2] == ["ImageId,Label", "1,1"]
    assert read_submission(path).tolist() == [1, 2, 3, 4]
    assert score_submission(path, np.array([1, 2, 0, 4])) == 0.75


def test_bad_submissions_are_rejected(tmp_path: Path) -> None:
    bad_header = tmp_path / "a.csv"
    bad_header.write_text("id,label\n1,1\n")
    with pytest.raises(ValueError, match="header"):
        read_submission(bad_header)
    bad_ids = tmp_path / "b.csv"
    bad_ids.write_text("ImageId,Label\n2,1\n1,1\n")
    with pytest.raises(ValueError, match="ImageId"):
        read_submission(bad_ids)
    short = write_submission(np.array([1]), tmp_path / "c.csv")
    with pytest.raises(ValueError, match="expected 2"):
        score_submission(short, np.array([1, 2]))
