"""Profiles into elders: clusters formed, elder ids kept, linkage.elder_xref written.

A full run clusters every profile and writes the whole xref. A new month forms again only the
components its links reach (components.py): it reads their stored strong pairs and rows,
clusters them as a full run would, and writes only the xref rows that are new or changed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import psycopg

from quality.linkage import components, identity, scored, xref
from quality.linkage.cluster import cluster
from quality.linkage.compare import Arrays
from quality.linkage.score import Pairs, Scores
from warehouse.settings import Linkage


@dataclass
class Decided:
    """The stewards' decisions as profile pairs, and a label per profile they joined."""

    same: Pairs
    different: Pairs
    labelled: dict[int, str]


def applicant_groups(arrays: Arrays) -> tuple[Pairs, dict[int, str]]:
    """Applicants (agents) join only each other, on the same name and phone (a missing one
    the same as another missing one): the first profile of a group links to each other."""
    agents = np.flatnonzero(arrays.applicant)
    agents = agents[np.lexsort((agents, arrays.phone[agents], arrays.name_code[agents]))]
    name, phone = arrays.name_code[agents], arrays.phone[agents]
    starts = np.flatnonzero((name[1:] != name[:-1]) | (phone[1:] != phone[:-1])) + 1
    same, labelled = [], {}
    for group in np.split(agents, starts):
        if len(group) > 1:
            ids = [int(i) for i in group]
            same += [(ids[0], other) for other in ids[1:]]
            labelled.update(dict.fromkeys(ids, "rule:applicant_name_phone"))
    return same, labelled


def _elders(
    conn: psycopg.Connection,
    config: Linkage,
    arrays: Arrays,
    pairs: Scores,
    decided: Decided,
    run_id: int,
    members: np.ndarray | None = None,
):
    """Cluster `members` (every profile if None) along `pairs` and the forced links `same`;
    store their components; return (their rows with elder ids, the ids before, the roots)."""
    forced = decided.same
    if members is not None:
        inside = set(members.tolist())
        forced = [pair for pair in forced if pair[0] in inside]
    threshold, size = config.match_threshold, len(arrays.id_code)
    roots, used, _ = cluster(
        arrays, pairs.left, pairs.right, pairs.probability, threshold, forced,
        decided.different, members,
    )  # fmt: skip
    refused = pairs.left[(pairs.probability >= threshold) & ~used]
    components.store(conn, size, components.links(pairs, threshold, forced), refused, members)
    reached = members is not None
    rows = xref.read_rows(conn, reached)
    rows["cluster"] = roots[rows["profile_id"].to_numpy()]
    probability, label = xref.link_evidence(size, pairs, used, decided.labelled)
    rows = xref.finish(rows, probability, label)
    previous = identity.previous_ids(conn, reached)
    rows["elder_id"] = identity.assign(conn, rows, previous, run_id)
    return rows, previous, roots


def _with_agents(decided: Decided, arrays: Arrays) -> Decided:
    """The stewards' decisions and the applicant groups: the links that always hold."""
    agents, labelled = applicant_groups(arrays)
    return Decided(decided.same + agents, decided.different, labelled | decided.labelled)


def group_all(
    conn: psycopg.Connection,
    config: Linkage,
    arrays: Arrays,
    scores: Scores,
    decided: Decided,
    run_id: int,
) -> tuple[np.ndarray, int]:
    """Cluster every profile and write the whole xref; (root of every profile, elders)."""
    forced = _with_agents(decided, arrays)
    rows, _, roots = _elders(conn, config, arrays, scores, forced, run_id)
    xref.write(conn, rows)
    return roots, int(rows["elder_id"].nunique())


def group_new(
    conn: psycopg.Connection,
    config: Linkage,
    arrays: Arrays,
    new: Scores,
    decided: Decided,
    last: tuple[int, int],
    run_id: int,
) -> identity.Touched:
    """Form again the components that a new month's pairs `new` and its profiles reach
    (last: the last profile and record before it), keep every other; write the new and
    changed xref rows; return the elders whose rows changed (new, moved, or gone)."""
    last_profile, last_record = last
    forced = _with_agents(decided, arrays)
    added = [pair for pair in forced.same if max(pair) > last_profile]
    left, right = components.links(new, config.match_threshold, added)
    members = components.reach(conn, left, right, last_profile, len(arrays.id_code))
    moved: set[int] = set()
    if len(members):
        pairs = scored.read(
            conn,
            new,
            "probability >= %s and left_id in (select profile_id from reached_profiles)",
            (config.match_threshold,),
        )
        rows, previous, _ = _elders(conn, config, arrays, pairs, forced, run_id, members)
        xref.update(conn, rows, last_record)
        moved = identity.reshaped(rows, previous, last_record)
    else:
        xref.add_to_profiles(conn, last_record)
    new_rows = conn.execute(
        "select distinct elder_id from linkage.elder_xref where record_id > %s", (last_record,)
    ).fetchall()
    return identity.Touched(moved, {row[0] for row in new_rows} - moved, last_record)
