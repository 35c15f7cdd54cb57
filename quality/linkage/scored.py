"""linkage.scored_pairs and linkage.score_histogram: what scoring found, kept between runs so
that a new month adds its pairs to them and forms again the clusters its pairs reach."""

from __future__ import annotations

import numpy as np
import pandas as pd
import psycopg

from quality.linkage import rules
from quality.linkage.compare import FEATURES
from quality.linkage.copying import copy_frame
from quality.linkage.score import Scores

KEEP_ABOVE = 0.01  # pairs scoring below this (and not ruled) are counted, not stored
BINS = 20
RULE_CODES = {name: code for code, name in rules.RULE_NAMES.items() if name}


def store(conn: psycopg.Connection, scores: Scores, append: bool = False) -> None:
    """linkage.scored_pairs (pairs worth keeping) and linkage.score_histogram (all pairs);
    append: add a new month's pairs and counts to those there."""
    levels = ", ".join(f"{name}_level smallint" for name in FEATURES)
    if not append:
        conn.execute("drop table if exists linkage.scored_pairs")
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
            "rule": pd.Series(scores.rule[keep]).map(rules.RULE_NAMES),
        }
    )
    for column, name in enumerate(FEATURES):
        frame[f"{name}_level"] = scores.features[keep, column]
    copy_frame(conn, "linkage.scored_pairs", frame)
    counts, edges = np.histogram(scores.probability[scores.rule == 0], bins=BINS, range=(0, 1))
    if not append:
        conn.execute("drop table if exists linkage.score_histogram")
        conn.execute(
            "create table linkage.score_histogram (bin_from double precision,"
            " bin_to double precision, pairs bigint)"
        )
        with conn.cursor().copy("copy linkage.score_histogram from stdin") as copy:
            for i in range(BINS):
                copy.write_row((float(edges[i]), float(edges[i + 1]), 0))
    with conn.cursor() as cursor:
        cursor.executemany(
            "update linkage.score_histogram set pairs = pairs + %s where bin_from = %s",
            [(int(count), float(edges[i])) for i, count in enumerate(counts)],
        )


def read(conn: psycopg.Connection, model: Scores, where: str = "true", params=()) -> Scores:
    """The stored pairs (those `where` holds for) as Scores, in the order of a full run,
    with the weights, classifier and model of `model` (the new month's scores)."""
    levels = ", ".join(f"{name}_level" for name in FEATURES)
    rows = conn.execute(
        f"select left_id, right_id, passes, probability, coalesce(rule, ''), {levels}"
        f" from linkage.scored_pairs where {where} order by left_id, right_id",
        params,
    ).fetchall()
    if not rows:
        empty = np.zeros(0, np.int32)
        matrix = np.zeros((0, len(FEATURES)), np.int8)
        return Scores(empty, empty, empty, matrix, empty.astype(np.int8), np.zeros(0),
                      model.weights, model.classifier, model.model)  # fmt: skip
    frame = pd.DataFrame(rows)
    ids = frame[[0, 1, 2]].to_numpy(dtype=np.int32)
    rule = frame[4].map(lambda name: RULE_CODES.get(name, 0)).to_numpy(dtype=np.int8)
    matrix = frame[list(range(5, 5 + len(FEATURES)))].to_numpy(dtype=np.int8)
    probability = frame[3].to_numpy(dtype=float)
    return Scores(ids[:, 0], ids[:, 1], ids[:, 2], matrix, rule, probability,
                  model.weights, model.classifier, model.model)  # fmt: skip
