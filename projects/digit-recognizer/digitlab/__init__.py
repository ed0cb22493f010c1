"""Helpers for the Digit Recognizer write-up: the competition split, augmentation, scoring."""

from digitlab.augment import augment, shift
from digitlab.data import competition_split
from digitlab.evaluate import cv_accuracy, read_submission, score_submission, write_submission

__all__ = [
    "augment",
    "competition_split",
    "cv_accuracy",
    "read_submission",
    "score_submission",
    "shift",
    "write_submission",
]
