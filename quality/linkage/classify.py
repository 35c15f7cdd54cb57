"""Unsupervised Fellegi-Sunter scores: recordlinkage's ECM on ordinal comparison levels.

recordlinkage's own start ('jaro') accepts binary features only; ours starts every feature
with m rising and u falling along its levels, and a missing level (0) carrying no weight.
A name's frequency then moves the score of an exact-name pair (common names weigh less).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from recordlinkage.algorithms.nb_sklearn import ECM

from quality.linkage.compare import FEATURES

NAME = FEATURES.index("name")
TF_LIMIT = 2.0  # the most a name's frequency moves the log-odds, either way


class OrdinalECM(ECM):
    """ECM whose starting point orders each feature's levels from disagreement to agreement."""

    def _init_parameters_jaro(self, X_bin):
        m_start, u_start = [], []
        for binarizer in self._binarizers:
            classes = binarizer.classes_
            top = int(max(classes.max(), 1))
            m = np.array([1.0 if c == 0 else 4.0**c for c in classes])
            u = np.array([4.0 ** (top // 2) if c == 0 else 4.0 ** (top - c + 1) for c in classes])
            m_start += list(m / m.sum())
            u_start += list(u / u.sum())
        return np.log([0.9, 0.1]), np.log(np.array([u_start, m_start]))


@dataclass
class Model:
    """The fitted model and the weight of every level (log2 m/u)."""

    ecm: OrdinalECM
    weights: dict[str, dict[int, float]]

    def probability(self, features: np.ndarray) -> np.ndarray:
        """Match probability of each row, computed once per distinct comparison pattern."""
        if not len(features):
            return np.zeros(0)
        patterns, inverse = np.unique(features, axis=0, return_inverse=True)
        return self.ecm.predict_proba(patterns)[:, 1][inverse.ravel()]


def fit(features: np.ndarray, sample: int, seed: int = 0) -> Model:
    """Fit ECM on at most `sample` pairs drawn at random."""
    rng = np.random.default_rng(seed)
    rows = rng.choice(len(features), size=min(sample, len(features)), replace=False)
    ecm = OrdinalECM(binarize=None, max_iter=200)
    ecm.fit(features[np.sort(rows)])
    weights, column = {}, 0
    u, m = np.exp(ecm.feature_log_prob_)
    for feature, binarizer in zip(FEATURES, ecm._binarizers, strict=False):
        classes = binarizer.classes_
        weights[feature] = {
            int(c): float(np.log2(m[column + i] / u[column + i])) for i, c in enumerate(classes)
        }
        column += len(classes)
    return Model(ecm, weights)


def frequency_adjusted(
    probability: np.ndarray, features: np.ndarray, name_share: np.ndarray
) -> np.ndarray:
    """Exact-name pairs: log-odds moved by how common the name is against the typical pair."""
    exact = features[:, NAME] == 4
    if not exact.any():
        return probability
    typical = float(np.exp(np.log(name_share[exact]).mean()))
    shift = np.clip(np.log(typical / name_share[exact]), -TF_LIMIT, TF_LIMIT)
    p = np.clip(probability[exact], 1e-12, 1 - 1e-12)
    out = probability.copy()
    out[exact] = 1 / (1 + np.exp(-(np.log(p / (1 - p)) + shift)))
    return out
