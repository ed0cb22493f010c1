"""Split conformal prediction for classifiers with ``predict_proba``.

The thesis code, trimmed to what the experiments in the write-up need:
two conformity scores (LAC and APS), a naive uncalibrated baseline, and metrics.
"""

from conformal.metrics import class_coverage, coverage, mean_set_size, singleton_rate
from conformal.predictors import SplitConformalClassifier, conformal_quantile, naive_sets

__all__ = [
    "SplitConformalClassifier",
    "class_coverage",
    "conformal_quantile",
    "coverage",
    "mean_set_size",
    "naive_sets",
    "singleton_rate",
]
