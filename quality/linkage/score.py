"""Score every candidate pair: chunked comparisons, a classifier (ECM, or one trained on the
stewards' decisions once there are enough), term frequency, hard rules."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import psycopg

from quality.linkage import classify, rules, supervised
from quality.linkage.compare import FEATURES, Arrays, chunks, features
from warehouse.settings import Linkage


@dataclass
class Scores:
    """Every candidate pair's comparison and verdict, in memory as small arrays."""

    left: np.ndarray
    right: np.ndarray
    passes: np.ndarray
    features: np.ndarray
    rule: np.ndarray
    probability: np.ndarray
    weights: dict
    classifier: dict = field(default_factory=dict)
    model: object = None  # what scored them, kept so a new month is scored alike


def _name_share(arrays: Arrays) -> np.ndarray:
    """Per profile: the share of elder profiles carrying its name (one when it has none)."""
    named = arrays.elder & (arrays.name_code > 0)
    counts = np.bincount(arrays.name_code[named], minlength=arrays.name_code.max() + 1)
    share = counts[arrays.name_code].astype(float)
    share[~named] = 1
    return share / max(int(named.sum()), 1)


Pairs = list[tuple[int, int]]
Model = classify.Model | supervised.Supervised


def choose_model(
    arrays: Arrays, matrix: np.ndarray, config: Linkage, same: Pairs, different: Pairs
) -> tuple[Model, dict]:
    """The supervised model when every class has config.supervised_min_labels steward
    decisions, else ECM; with what a steward should know about it."""
    labels = {"same": len(same), "different": len(different)}
    about = {"labels": labels, "min_labels_per_class": config.supervised_min_labels}
    if min(labels.values()) < config.supervised_min_labels:
        model = classify.fit(matrix, config.training_pairs)
        return model, {"method": "ecm", **about}
    pairs = np.array(same + different, dtype=np.int64)
    truth = np.repeat([1, 0], [len(same), len(different)])
    model = supervised.fit(features(arrays, pairs[:, 0], pairs[:, 1]), truth)
    return model, {
        "method": "logistic_regression",
        **about,
        "cross_validation": model.agreement,
        "coefficients": model.coefficients,
    }


def score(
    conn: psycopg.Connection,
    arrays: Arrays,
    config: Linkage,
    same: Pairs = (),
    different: Pairs = (),
    fitted: tuple[Model, dict] | None = None,
    table: str = "candidate_pairs",
) -> Scores:
    """Compare the pairs of linkage.<table> in chunks of config.chunk_size, then fit and apply
    the model (or apply `fitted`, the model of an earlier run and what it says of itself);
    `same` and `different` are the profile pairs stewards decided."""
    parts = []
    for left, right, passes in chunks(conn, config.chunk_size, table):
        parts.append((left, right, passes, features(arrays, left, right)))
        parts[-1] += (rules.apply(arrays, left, right),)
    if parts:
        left, right, passes, matrix, rule = (np.concatenate(p) for p in zip(*parts, strict=False))
    else:
        left = right = passes = np.zeros(0, np.int32)
        matrix, rule = np.zeros((0, len(FEATURES)), np.int8), np.zeros(0, np.int8)
    if fitted is None and len(matrix) < 2:
        return Scores(left, right, passes, matrix, rule, rules.overrule(rule * 0.0, rule), {})
    model, about = fitted or choose_model(arrays, matrix, config, list(same), list(different))
    share = _name_share(arrays)
    probability = classify.frequency_adjusted(model.probability(matrix), matrix, share[left])
    probability = rules.overrule(probability, rule)
    weights = model.weights if isinstance(model, classify.Model) else {}
    return Scores(left, right, passes, matrix, rule, probability, weights, about, model)
