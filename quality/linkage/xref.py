"""linkage.elder_xref: every person row, its elder, and what linked it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import psycopg

from quality.linkage.copying import copy_frame, publish
from quality.linkage.rules import RULE_NAMES
from quality.linkage.score import Scores

XREF_COLUMNS = (
    "elder_id", "record_id", "source", "source_file", "source_row", "load_batch", "role",
    "profile_id", "match_probability", "linked_by",
)  # fmt: skip


def link_evidence(
    profiles: int, scores: Scores, used: np.ndarray, labelled: dict[int, str]
) -> tuple[np.ndarray, np.ndarray]:
    """Per profile: the probability and the rule or score of its strongest link."""
    probability = np.full(profiles, np.nan)
    label = np.full(profiles, None, dtype=object)
    order = np.flatnonzero(used)
    order = order[np.argsort(scores.probability[order], kind="stable")]
    for i in order:  # ascending, so the strongest link is written last
        p, rule = float(scores.probability[i]), RULE_NAMES[int(scores.rule[i])]
        for side in (int(scores.left[i]), int(scores.right[i])):
            probability[side] = p
            label[side] = rule or "score"
    for profile, text in labelled.items():
        probability[profile], label[profile] = 1.0, text
    return probability, label


def read_rows(conn: psycopg.Connection) -> pd.DataFrame:
    """The person rows with their locators and profiles."""
    rows = conn.execute(
        "select record_id, profile_id, source, source_file, source_row, load_batch, role"
        " from linkage.person_records order by record_id"
    ).fetchall()
    columns = ["record_id", "profile_id", "source", "source_file", "source_row", "load_batch"]
    frame = pd.DataFrame(rows, columns=[*columns, "role"])
    return frame.astype({"record_id": "int64", "profile_id": "int64", "source_row": "int64"})


def finish(rows: pd.DataFrame, probability: np.ndarray, label: np.ndarray) -> pd.DataFrame:
    """Fill match_probability and linked_by; rows alone in their cluster say so."""
    rows = rows.copy()
    rows["match_probability"] = probability[rows["profile_id"].to_numpy()]
    rows["linked_by"] = label[rows["profile_id"].to_numpy()]
    size = rows.groupby("cluster")["record_id"].transform("size")
    identical = rows["linked_by"].isna() & (size > 1)
    rows.loc[identical, ["match_probability", "linked_by"]] = [1.0, "identical_fields"]
    rows.loc[rows["linked_by"].isna(), "linked_by"] = "unlinked"
    return rows


def write(conn: psycopg.Connection, rows: pd.DataFrame) -> None:
    """Replace linkage.elder_xref."""
    conn.execute("drop table if exists linkage.elder_xref_next")
    conn.execute(
        """create table linkage.elder_xref_next (
            elder_id bigint not null, record_id bigint primary key, source text not null,
            source_file text not null, source_row integer not null, load_batch bigint not null,
            role text not null, profile_id integer not null,
            match_probability double precision, linked_by text not null)"""
    )
    copy_frame(conn, "linkage.elder_xref_next", rows[list(XREF_COLUMNS)])
    conn.execute("create index on linkage.elder_xref_next (elder_id)")
    conn.execute("create unique index on linkage.elder_xref_next (source_file, source_row, role)")
    publish(conn, "elder_xref")
