"""linkage.components: each profile's connected component in the graph that clustering walks.

Clustering (cluster.py) joins profiles along the forced links (steward "same", applicant
groups) and then along the links at or above match_threshold, strongest first; whether a link
is refused depends only on the two clusters it would join. So each connected component of
that graph, refused links included, is clustered on its own, the same whatever else is in the
store. A new month therefore forms again only the components its links reach (the stored
components its links touch, and its new profiles); every other cluster keeps its elder id and
its xref rows without being read.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import psycopg

from quality.linkage.cluster import components
from quality.linkage.copying import copy_frame
from quality.linkage.score import Pairs, Scores


def links(scores: Scores, threshold: float, forced: Pairs) -> tuple[np.ndarray, np.ndarray]:
    """(left, right) of the links clustering considers: forced ones and strong pairs."""
    strong = scores.probability >= threshold
    pairs = np.array(forced, dtype=np.int64).reshape(-1, 2)
    return (
        np.concatenate([pairs[:, 0], scores.left[strong]]).astype(np.int64),
        np.concatenate([pairs[:, 1], scores.right[strong]]).astype(np.int64),
    )


def store(
    conn: psycopg.Connection,
    size: int,
    graph: tuple[np.ndarray, np.ndarray],
    refused: np.ndarray,
    members: np.ndarray | None = None,
) -> None:
    """Write every profile's component (its smallest profile id) and the strong links it
    holds on the left that clustering refused; members: only these profiles' rows (the
    components a new month formed again; `graph` holds their links)."""
    label = components(size, *graph)
    counts = np.bincount(refused, minlength=size)
    if members is None:
        members = np.arange(1, size)
        conn.execute("drop table if exists linkage.components")
        conn.execute(
            "create table linkage.components (profile_id integer primary key,"
            " component integer not null, refused_links integer not null)"
        )
        conn.execute("create index on linkage.components (component)")
    else:
        conn.execute(
            "delete from linkage.components"
            " where profile_id in (select profile_id from reached_profiles)"
        )
    frame = pd.DataFrame(
        {"profile_id": members, "component": label[members], "refused_links": counts[members]}
    )
    copy_frame(conn, "linkage.components", frame)


def reach(
    conn: psycopg.Connection, left: np.ndarray, right: np.ndarray, last_profile: int, size: int
) -> np.ndarray:
    """The profiles a new month's links (left, right) reach: every profile of the stored
    components they touch, and the new profiles (above last_profile). Also kept in the
    temporary table reached_profiles for the statements that follow."""
    touched = np.unique(np.concatenate([left, right]))
    touched = touched[touched <= last_profile]
    stored = conn.execute(
        """select profile_id from linkage.components where component in (
            select component from linkage.components where profile_id = any(%s))""",
        (touched.tolist(),),
    ).fetchall()
    old = np.array([row[0] for row in stored], dtype=np.int64)
    members = np.union1d(old, np.arange(last_profile + 1, size, dtype=np.int64))
    conn.execute("drop table if exists reached_profiles")
    conn.execute(
        "create temporary table reached_profiles (profile_id integer primary key) on commit drop"
    )
    copy_frame(conn, "reached_profiles", pd.DataFrame({"profile_id": members}))
    conn.execute("analyze reached_profiles")
    return members


def refused_links(conn: psycopg.Connection) -> int:
    """Strong links refused by a rule, over every component."""
    total = conn.execute("select sum(refused_links) from linkage.components").fetchone()[0]
    return int(total or 0)
