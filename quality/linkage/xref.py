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


def read_rows(conn: psycopg.Connection, reached: bool = False) -> pd.DataFrame:
    """The person rows with their locators and profiles (reached: only the rows of the
    profiles in reached_profiles, see components.reach)."""
    where = "where profile_id in (select profile_id from reached_profiles)" if reached else ""
    rows = conn.execute(
        "select record_id, profile_id, source, source_file, source_row, load_batch, role"
        f" from linkage.person_records {where} order by record_id"
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
    """Replace linkage.elder_xref; every row's linked_at is this run's (its transaction's)."""
    conn.execute("drop table if exists linkage.elder_xref_next")
    conn.execute(
        """create unlogged table linkage.elder_xref_next (
            elder_id bigint not null, record_id bigint primary key, source text not null,
            source_file text not null, source_row integer not null, load_batch bigint not null,
            role text not null, profile_id integer not null,
            match_probability double precision, linked_by text not null,
            linked_at timestamptz not null default now())"""
    )
    copy_frame(conn, "linkage.elder_xref_next", rows[list(XREF_COLUMNS)])
    conn.execute("create index on linkage.elder_xref_next (elder_id)")
    conn.execute("create unique index on linkage.elder_xref_next (source_file, source_row, role)")
    publish(conn, "elder_xref")
    conn.execute(
        "create index if not exists elder_xref_linked_at on linkage.elder_xref (linked_at)"
    )
    conn.execute("analyze linkage.elder_xref")  # the marts' planner counts rows by linked_at


def update(conn: psycopg.Connection, rows: pd.DataFrame, last_record: int) -> None:
    """A new month's xref: of `rows` (those of the components it formed again), update the
    rows whose elder or evidence changed and insert the new ones (after last_record); then
    add its other new rows, each with the elder and evidence of its profile's stored rows.
    Rows inserted or moved to another elder get this run's linked_at, so the marts rebuild
    only what a run changed."""
    conn.execute(
        "create temporary table xref_reached (like linkage.elder_xref including defaults)"
        " on commit drop"
    )
    copy_frame(conn, "xref_reached", rows[list(XREF_COLUMNS)])
    conn.execute(
        """update linkage.elder_xref x
        set elder_id = r.elder_id, match_probability = r.match_probability,
            linked_by = r.linked_by,
            linked_at = case when x.elder_id = r.elder_id then x.linked_at else now() end
        from xref_reached r
        where r.record_id = x.record_id and r.record_id <= %s
          and (x.elder_id, x.match_probability, x.linked_by)
              is distinct from (r.elder_id, r.match_probability, r.linked_by)""",
        (last_record,),
    )
    columns = ", ".join(XREF_COLUMNS)
    conn.execute(  # linked_at given: a store upgraded in place has the column, not its default
        f"insert into linkage.elder_xref ({columns}, linked_at)"
        f" select {columns}, now() from xref_reached where record_id > %s",
        (last_record,),
    )
    conn.execute("drop table xref_reached")
    add_to_profiles(conn, last_record)
    conn.execute("analyze linkage.elder_xref")  # the marts' planner counts rows by linked_at


def add_to_profiles(conn: psycopg.Connection, last_record: int) -> None:
    """New rows (after last_record) not in xref yet join their profile's elder with its
    evidence; a profile that was one unlinked row now has identical rows, and says so."""
    conn.execute(  # a profile's rows share their elder and evidence: any one of them will do
        """create temporary table xref_profile_gained on commit drop as
        select distinct on (x.profile_id) x.profile_id, x.elder_id, x.match_probability,
               x.linked_by
        from linkage.elder_xref x
        where x.record_id <= %(last)s and x.profile_id in (
            select profile_id from linkage.person_records where record_id > %(last)s)
        order by x.profile_id""",
        {"last": last_record},
    )
    conn.execute(
        """insert into linkage.elder_xref (elder_id, record_id, source, source_file, source_row,
            load_batch, role, profile_id, match_probability, linked_by, linked_at)
        select g.elder_id, n.record_id, n.source, n.source_file, n.source_row, n.load_batch,
               n.role, n.profile_id,
               case when g.linked_by = 'unlinked' then 1.0 else g.match_probability end,
               case when g.linked_by = 'unlinked' then 'identical_fields' else g.linked_by end,
               now()
        from linkage.person_records n join xref_profile_gained g using (profile_id)
        where n.record_id > %s
          and not exists (select 1 from linkage.elder_xref x where x.record_id = n.record_id)""",
        (last_record,),
    )
    conn.execute(
        """update linkage.elder_xref x set match_probability = 1.0, linked_by = 'identical_fields'
        from xref_profile_gained g
        where g.linked_by = 'unlinked' and x.profile_id = g.profile_id
          and x.linked_by = 'unlinked'"""
    )
    conn.execute("drop table xref_profile_gained")


def elders_of(conn: psycopg.Connection, size: int, profiles: np.ndarray) -> np.ndarray:
    """The elder id of each of `profiles`, in an array indexed by profile id (0 elsewhere)."""
    elders = np.zeros(size, dtype=np.int64)
    found = conn.execute(
        """select distinct on (p.profile_id) p.profile_id, x.elder_id
        from linkage.person_records p join linkage.elder_xref x using (record_id)
        where p.profile_id = any(%s)""",
        (np.unique(profiles).tolist(),),
    ).fetchall()
    for profile, elder in found:
        elders[profile] = elder
    return elders
