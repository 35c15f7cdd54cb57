"""Score every candidate pair: chunked comparisons, a classifier (ECM, or one trained on the
stewards' decisions once there are enough), term frequency, hard rules."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import psycopg

from quality.linkage import classify, rules, supervised
from quality.linkage.compare import FEATURES, Arrays, chunks, features
from quality.linkage.copying import copy_frame
from quality.linkage.profiles import Profiles
from warehouse.settings import Linkage

KEEP_ABOVE = 0.01  # pairs scoring below this (and not ruled) are counted, not stored
BINS = 20


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


def _name_share(profiles: Profiles) -> np.ndarray:
    """Per profile: the share of elder profiles carrying its name."""
    names = profiles.frame["name"].where(profiles.frame["role"] == "elder")
    counts = names.map(names.value_counts()).fillna(1).to_numpy(dtype=float)
    return counts / max(int(names.notna().sum()), 1)


Pairs = list[tuple[int, int]]


def choose_model(
    arrays: Arrays, matrix: np.ndarray, config: Linkage, same: Pairs, different: Pairs
) -> tuple[classify.Model | supervised.Supervised, dict]:
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
    profiles: Profiles,
    config: Linkage,
    same: Pairs = (),
    different: Pairs = (),
) -> Scores:
    """Compare in chunks of config.chunk_size pairs, then fit and apply the model; `same` and
    `different` are the profile pairs stewards decided."""
    arrays = Arrays.of(profiles)
    parts = []
    for left, right, passes in chunks(conn, config.chunk_size):
        parts.append((left, right, passes, features(arrays, left, right)))
        parts[-1] += (rules.apply(arrays, left, right),)
    if parts:
        left, right, passes, matrix, rule = (np.concatenate(p) for p in zip(*parts, strict=False))
    else:
        left = right = passes = np.zeros(0, np.int32)
        matrix, rule = np.zeros((0, len(FEATURES)), np.int8), np.zeros(0, np.int8)
    if len(matrix) < 2:
        return Scores(left, right, passes, matrix, rule, rules.overrule(rule * 0.0, rule), {})
    model, about = choose_model(arrays, matrix, config, list(same), list(different))
    share = _name_share(profiles)
    probability = classify.frequency_adjusted(model.probability(matrix), matrix, share[left])
    probability = rules.overrule(probability, rule)
    weights = model.weights if isinstance(model, classify.Model) else {}
    return Scores(left, right, passes, matrix, rule, probability, weights, about)


def store(conn: psycopg.Connection, scores: Scores) -> None:
    """linkage.scored_pairs (pairs worth keeping) and linkage.score_histogram (all pairs)."""
    conn.execute("drop table if exists linkage.scored_pairs")
    levels = ", ".join(f"{name}_level smallint" for name in FEATURES)
    conn.execute(
        "create table linkage.scored_pairs (left_id integer, right_id integer, passes integer,"
        f" probability double precision, rule text, {levels}, primary key (left_id, right_id))"
    )
    keep = np.flatnonzero((scores.probability >= KEEP_ABOVE) | (scores.rule > 0))
    frame = pd.DataFrame(
        {
            "left_id": scores.left[keep],
            "right_id": scores.right[keep],
            "passes": scores.passes[keep],
            "probability": scores.probability[keep],
            "rule": [rules.RULE_NAMES[int(r)] for r in scores.rule[keep]],
        }
    )
    for column, name in enumerate(FEATURES):
        frame[f"{name}_level"] = scores.features[keep, column]
    copy_frame(conn, "linkage.scored_pairs", frame)
    counts, edges = np.histogram(scores.probability[scores.rule == 0], bins=BINS, range=(0, 1))
    conn.execute("drop table if exists linkage.score_histogram")
    conn.execute(
        "create table linkage.score_histogram (bin_from double precision,"
        " bin_to double precision, pairs bigint)"
    )
    with conn.cursor().copy("copy linkage.score_histogram from stdin") as copy:
        for i, count in enumerate(counts):
            copy.write_row((float(edges[i]), float(edges[i + 1]), int(count)))
