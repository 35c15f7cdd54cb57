"""Linkage measured against the generator's truth: pairwise precision, recall, F1, and the
pair completeness of blocking. Used by tests and bench/linkage.py, never by the pipeline."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd
import psycopg


def truth_rows(truth_dir: Path) -> pd.DataFrame:
    """Per delivered row: the true person of the elder side and of the applicant side."""
    with (Path(truth_dir) / "records.csv").open(encoding="utf-8", newline="") as handle:
        records = pd.DataFrame(csv.DictReader(handle))
    records["source_row"] = records["source_row"].astype(int)
    elder = records.assign(role="elder", person=records["person_id"])
    agent = records[records["applicant_person_id"] != ""]
    agent = agent.assign(role="applicant", person=agent["applicant_person_id"])
    columns = ["source_file", "source_row", "role", "person", "defects"]
    return pd.concat([elder[columns], agent[columns]], ignore_index=True)


def _pairs(sizes: pd.Series) -> int:
    n = sizes.to_numpy(dtype=np.int64)
    return int((n * (n - 1) // 2).sum())


def pairwise(frame: pd.DataFrame, predicted: str, true: str) -> dict[str, float]:
    """Precision, recall and F1 over all pairs of rows."""
    both = _pairs(frame.groupby([predicted, true]).size())
    said = _pairs(frame.groupby(predicted).size())
    real = _pairs(frame.groupby(true).size())
    precision = both / said if said else 1.0
    recall = both / real if real else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "true_pairs": real,
            "found_pairs": said, "correct_pairs": both}  # fmt: skip


def linked(conn: psycopg.Connection, truth_dir: Path) -> pd.DataFrame:
    """Every xref row with its true person (rows the truth does not know are dropped)."""
    xref = pd.DataFrame(
        conn.execute(
            "select source_file, source_row, role, elder_id, profile_id from linkage.elder_xref"
        ).fetchall(),
        columns=["source_file", "source_row", "role", "elder_id", "profile_id"],
    )
    return xref.merge(truth_rows(truth_dir), on=["source_file", "source_row", "role"])


def pair_completeness(conn: psycopg.Connection, frame: pd.DataFrame) -> float:
    """Share of true same-person profile pairs that blocking put in the candidate pairs."""
    elders = frame[frame["role"] == "elder"].drop_duplicates(["profile_id", "person"])
    true_pairs = set()
    for _, group in elders.groupby("person"):
        ids = sorted(int(i) for i in group["profile_id"].unique())
        true_pairs.update((a, b) for i, a in enumerate(ids) for b in ids[i + 1 :])
    if not true_pairs:
        return 1.0
    candidates = set(conn.execute("select left_id, right_id from linkage.candidate_pairs"))
    return len(true_pairs & candidates) / len(true_pairs)


def evaluate(conn: psycopg.Connection, truth_dir: Path) -> dict[str, float]:
    """Row pairs, profile pairs and blocking, measured against the truth."""
    frame = linked(conn, truth_dir)
    profiles = frame.drop_duplicates(["profile_id", "person"])
    return {
        "rows": pairwise(frame, "elder_id", "person"),
        "profiles": pairwise(profiles, "elder_id", "person"),
        "pair_completeness": pair_completeness(conn, frame),
    }
