"""A supervised classifier trained on the stewards' decisions, once there are enough of them.

Each decided pair's comparison vector is a training row ('same' = 1, 'different' = 0). The
levels are categories, not amounts (level 0 is "missing"), so each level of each feature
gets its own coefficient: a logistic regression on one-hot levels. Its agreement with the
labels is measured by stratified k-fold cross-validation before it is fitted on them all.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, precision_score, recall_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OneHotEncoder

from quality.linkage.compare import FEATURES, LEVELS

FOLDS = 5
REGULARISATION = 10.0  # inverse strength: a few dozen labels need little shrinking


def _pipeline() -> Pipeline:
    categories = [list(range(len(LEVELS[feature]))) for feature in FEATURES]
    return make_pipeline(
        OneHotEncoder(categories=categories, handle_unknown="ignore"),
        LogisticRegression(C=REGULARISATION, max_iter=1000),
    )


def _agreement(features: np.ndarray, labels: np.ndarray) -> dict:
    folds = min(FOLDS, int(np.bincount(labels, minlength=2).min()))
    split = StratifiedKFold(n_splits=folds, shuffle=True, random_state=0)
    predicted = cross_val_predict(_pipeline(), features, labels, cv=split)
    return {
        "folds": folds,
        "accuracy": round(float(accuracy_score(labels, predicted)), 4),
        "precision": round(float(precision_score(labels, predicted, zero_division=0)), 4),
        "recall": round(float(recall_score(labels, predicted, zero_division=0)), 4),
    }


@dataclass
class Supervised:
    """The fitted pipeline, its coefficients per level and its cross-validated agreement."""

    pipeline: Pipeline
    coefficients: dict[str, dict[str, float]]
    agreement: dict

    def probability(self, features: np.ndarray) -> np.ndarray:
        """Match probability of each row, computed once per distinct comparison pattern."""
        if not len(features):
            return np.zeros(0)
        patterns, inverse = np.unique(features, axis=0, return_inverse=True)
        return self.pipeline.predict_proba(patterns)[:, 1][inverse.ravel()]


def fit(features: np.ndarray, labels: np.ndarray) -> Supervised:
    """Cross-validate, then fit on every label (labels: 1 same person, 0 different people)."""
    agreement = _agreement(features, labels)
    pipeline = _pipeline().fit(features, labels)
    weights = pipeline[-1].coef_[0]
    coefficients, column = {}, 0
    for feature in FEATURES:
        names = LEVELS[feature]
        coefficients[feature] = {
            name: round(float(weights[column + i]), 4) for i, name in enumerate(names)
        }
        column += len(names)
    return Supervised(pipeline, coefficients, agreement)
