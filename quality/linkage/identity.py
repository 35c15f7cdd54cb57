"""Stable elder ids: a cluster inherits the id most of its rows carried in the last run.

Rows are known by their locator (source_file, source_row, role), which never changes, so a
rerun or a new month keeps every id. When clusters merge, the id held by most rows survives;
when one splits, its largest part keeps the id and the others get new ones. Both are logged.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import psycopg

EVENTS_DDL = (
    "create sequence if not exists linkage.elder_id_seq",
    """create table if not exists linkage.cluster_events (
        run_id bigint not null, event text not null check (event in ('merge', 'split')),
        elder_id bigint not null, other_elder_ids bigint[] not null, rows integer not null,
        logged_at timestamptz not null default now())""",
)
LOCATOR = ["source_file", "source_row", "role"]


def previous_ids(conn: psycopg.Connection, reached: bool = False) -> pd.DataFrame:
    """The elder id of every row in the last run (empty on the first run); reached: only of
    the rows of the profiles in reached_profiles (see components.reach)."""
    exists = conn.execute("select to_regclass('linkage.elder_xref')").fetchone()[0]
    if not exists:
        return pd.DataFrame(columns=[*LOCATOR, "old_id"])
    sql = "select source_file, source_row, role, elder_id from linkage.elder_xref"
    if reached:
        sql += """ where record_id in (select record_id from linkage.person_records
            where profile_id in (select profile_id from reached_profiles))"""
    rows = conn.execute(sql)
    return pd.DataFrame(rows.fetchall(), columns=[*LOCATOR, "old_id"])


def assign(
    conn: psycopg.Connection, rows: pd.DataFrame, previous: pd.DataFrame, run_id: int
) -> pd.Series:
    """elder_id per row of `rows` (columns LOCATOR, cluster, record_id); logs merges/splits."""
    for ddl in EVENTS_DDL:
        conn.execute(ddl)
    joined = rows.merge(previous, on=LOCATOR, how="left")
    votes = (
        joined.dropna(subset=["old_id"])
        .groupby(["cluster", "old_id"])
        .size()
        .reset_index(name="votes")
        .sort_values(["votes", "old_id"], ascending=[False, True])
    )
    chosen, taken = {}, set()
    for cluster, old_id in zip(votes["cluster"], votes["old_id"], strict=False):
        if cluster not in chosen and old_id not in taken:
            chosen[cluster] = int(old_id)
            taken.add(old_id)
    first_row = rows.groupby("cluster")["record_id"].min().sort_values()
    fresh = [c for c in first_row.index if c not in chosen]
    if fresh:
        numbers = conn.execute(
            "select nextval('linkage.elder_id_seq') from generate_series(1, %s)", (len(fresh),)
        ).fetchall()
        chosen.update({c: n for c, (n,) in zip(fresh, numbers, strict=False)})
    elder_ids = rows["cluster"].map(chosen)
    _log(conn, joined.assign(elder_id=elder_ids.to_numpy()), run_id)
    return elder_ids


def _log(conn: psycopg.Connection, joined: pd.DataFrame, run_id: int) -> None:
    carried = joined.dropna(subset=["old_id"])
    events = []
    olds = carried.groupby("elder_id")["old_id"].nunique()
    for elder_id in olds[olds > 1].index:  # rows of several elders now form one
        group = carried[carried["elder_id"] == elder_id]
        others = sorted({int(i) for i in group["old_id"]} - {int(elder_id)})
        events.append((run_id, "merge", int(elder_id), others, len(group)))
    news = carried.groupby("old_id")["elder_id"].nunique()
    for old_id in news[news > 1].index:  # rows of one elder now belong to several
        group = carried[carried["old_id"] == old_id]
        parts = sorted({int(i) for i in group["elder_id"]} - {int(old_id)})
        events.append((run_id, "split", int(old_id), parts, len(group)))
    if events:
        with conn.cursor() as cursor:
            cursor.executemany(
                "insert into linkage.cluster_events (run_id, event, elder_id, other_elder_ids,"
                " rows) values (%s, %s, %s, %s, %s)",
                events,
            )


@dataclass
class Touched:
    """The elders whose rows a new month changed. `reshaped`: rows came from or went to another
    elder (a merge, a split, or an id that is gone), so their golden records are formed from all
    their rows again; `grown`: they only gained rows after `last_record`, so each attribute's
    winner is the better of the stored winner and the new rows (golden.py)."""

    reshaped: set[int]
    grown: set[int]  # none of them reshaped
    last_record: int

    def __len__(self) -> int:
        return len(self.reshaped) + len(self.grown)


def reshaped(rows: pd.DataFrame, previous: pd.DataFrame, last_record: int) -> set[int]:
    """The elders of `rows` whose earlier rows (up to last_record) moved between elders, and
    the ids those rows left."""
    joined = rows[[*LOCATOR, "record_id", "elder_id"]].merge(previous, on=LOCATOR, how="left")
    earlier = joined["record_id"] <= last_record
    moved = joined[earlier & (joined["old_id"].isna() | (joined["old_id"] != joined["elder_id"]))]
    return {int(i) for i in moved["elder_id"]} | {int(i) for i in moved["old_id"].dropna()}
