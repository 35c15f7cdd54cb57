"""The steward review queue, and decisions that every later run respects.

A queued pair is known by the locators of one row of each side, so it keeps its review_id
across runs; a decision is stored against those locators with who and when, and never
deleted by a run.
"""

from __future__ import annotations

import numpy as np
import psycopg

from quality.linkage.compare import FEATURES
from quality.linkage.copying import publish
from quality.linkage.score import Scores
from warehouse.settings import Linkage

DECISIONS_DDL = """create table if not exists linkage.review_decisions (
    decision_id bigint generated always as identity primary key,
    left_source_file text not null, left_source_row integer not null,
    right_source_file text not null, right_source_row integer not null,
    decision text not null check (decision in ('same', 'different')),
    decided_by text not null, decided_at timestamptz not null default now(), note text)"""
DECISIONS = ("same", "different")
_SIDE = """select distinct on (source_file, source_row) source_file, source_row, profile_id
    from linkage.person_records where role = 'elder'"""


def decisions(conn: psycopg.Connection) -> tuple[list, list, dict[int, str]]:
    """(same-person profile pairs, different-people pairs, steward label per profile)."""
    conn.execute(DECISIONS_DDL)
    rows = conn.execute(
        f"""select distinct on (l.profile_id, r.profile_id) l.profile_id, r.profile_id, d.decision
        from linkage.review_decisions d
        join ({_SIDE}) l on (l.source_file, l.source_row)
            = (d.left_source_file, d.left_source_row)
        join ({_SIDE}) r on (r.source_file, r.source_row)
            = (d.right_source_file, d.right_source_row)
        order by l.profile_id, r.profile_id, d.decided_at desc, d.decision_id desc"""
    ).fetchall()
    same = [(a, b) for a, b, decision in rows if decision == "same"]
    different = [(a, b) for a, b, decision in rows if decision == "different"]
    labelled = {p: "steward:same" for pair in same for p in pair}
    return same, different, labelled


def build_queue(
    conn: psycopg.Connection,
    scores: Scores,
    roots: np.ndarray,
    config: Linkage,
    decided: set[tuple[int, int]],
) -> int:
    """Rebuild linkage.review_queue: undecided pairs in the review band, strongest first."""
    band = (
        (scores.probability >= config.review_threshold)
        & (scores.probability < config.match_threshold)
        & (scores.rule == 0)
    )
    band &= roots[scores.left] != roots[scores.right]
    for i in np.flatnonzero(band):
        pair = (int(scores.left[i]), int(scores.right[i]))
        band[i] = pair not in decided and pair[::-1] not in decided
    conn.execute("drop table if exists linkage.review_candidates")
    levels = ", ".join(f"{name}_level smallint" for name in FEATURES)
    conn.execute(
        "create unlogged table linkage.review_candidates (left_id integer, right_id integer,"
        f" probability double precision, {levels})"
    )
    with conn.cursor().copy("copy linkage.review_candidates from stdin") as copy:
        for i in np.flatnonzero(band):
            copy.write_row(
                (int(scores.left[i]), int(scores.right[i]), float(scores.probability[i]),
                 *(int(v) for v in scores.features[i]))
            )  # fmt: skip
    conn.execute("drop table if exists linkage.review_queue_next")
    conn.execute(
        """create unlogged table linkage.review_queue_next as
        with side as (
            select distinct on (profile_id) profile_id, source_file, source_row
            from linkage.person_records order by profile_id, record_id)
        select substr(md5(l.source_file || ':' || l.source_row || '|' || r.source_file || ':'
                          || r.source_row), 1, 10) as review_id,
               l.source_file as left_source_file, l.source_row as left_source_row,
               r.source_file as right_source_file, r.source_row as right_source_row,
               c.*
        from linkage.review_candidates c
        join side l on l.profile_id = c.left_id
        join side r on r.profile_id = c.right_id
        where not exists (
            select 1 from linkage.review_decisions d
            where (d.left_source_file, d.left_source_row, d.right_source_file, d.right_source_row)
                  in ((l.source_file, l.source_row, r.source_file, r.source_row),
                      (r.source_file, r.source_row, l.source_file, l.source_row)))
        order by c.probability desc"""
    )
    conn.execute("drop table linkage.review_candidates")
    publish(conn, "review_queue")
    return conn.execute("select count(*) from linkage.review_queue").fetchone()[0]


def decide(
    conn: psycopg.Connection, review_id: str, decision: str, who: str, note: str | None = None
) -> None:
    """Store a steward's decision on a queued pair (it takes effect at the next run)."""
    found = conn.execute(
        "select left_source_file, left_source_row, right_source_file, right_source_row"
        " from linkage.review_queue where review_id = %s",
        (review_id,),
    ).fetchone()
    if found is None:
        raise LookupError(f"no pair {review_id!r} in the review queue")
    record(conn, (found[0], found[1]), (found[2], found[3]), decision, who, note)


def record(
    conn: psycopg.Connection,
    left: tuple[str, int],
    right: tuple[str, int],
    decision: str,
    who: str,
    note: str | None = None,
) -> None:
    """Store a decision on two rows, each known by (source_file, source_row)."""
    if decision not in DECISIONS:
        raise ValueError(f"decision must be one of {DECISIONS}, not {decision!r}")
    conn.execute(DECISIONS_DDL)
    conn.execute(
        "insert into linkage.review_decisions (left_source_file, left_source_row,"
        " right_source_file, right_source_row, decision, decided_by, note)"
        " values (%s, %s, %s, %s, %s, %s, %s)",
        (*left, *right, decision, who, note),
    )


SHOWN = (
    "source", "source_file", "source_row", "id_number", "doc_type", "doc_number", "name", "sex",
    "birth_date", "birth_precision", "district_code", "street_code", "community_code", "phone",
)  # fmt: skip


def queue(conn: psycopg.Connection, limit: int = 50) -> list[dict]:
    """The open pairs, strongest first."""
    cursor = conn.execute(
        "select review_id, probability, left_source_file, left_source_row, right_source_file,"
        " right_source_row from linkage.review_queue order by probability desc limit %s",
        (limit,),
    )
    names = [c.name for c in cursor.description]
    return [dict(zip(names, row, strict=False)) for row in cursor.fetchall()]


def pair(conn: psycopg.Connection, review_id: str) -> tuple[dict, dict, dict]:
    """(the queued pair with its evidence, the left record, the right record)."""
    cursor = conn.execute("select * from linkage.review_queue where review_id = %s", (review_id,))
    found = cursor.fetchone()
    if found is None:
        raise LookupError(f"no pair {review_id!r} in the review queue")
    queued = dict(zip([c.name for c in cursor.description], found, strict=False))
    sides = []
    for side in ("left", "right"):
        cursor = conn.execute(
            f"select {', '.join(SHOWN)} from linkage.person_records"
            " where source_file = %s and source_row = %s and role = 'elder'",
            (queued[f"{side}_source_file"], queued[f"{side}_source_row"]),
        )
        sides.append(dict(zip(SHOWN, cursor.fetchone(), strict=False)))
    return queued, sides[0], sides[1]
