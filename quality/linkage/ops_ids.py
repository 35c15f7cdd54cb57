"""The operational API's data follows the elders a run merges: orders, agreements, devices and
the rest held under a retired elder id move to the elder who carries it on, in the run's
transaction, through `ops.move_elder_ids` (an ops migration owns it; the pipeline may only
call it). A split keeps the API's data with the part that keeps the id."""

from __future__ import annotations

import psycopg

MOVE = "ops.move_elder_ids(bigint[], bigint[], text)"


def follow_merges(conn: psycopg.Connection, run_id: int) -> int:
    """Move the API's data of every id this run retired to its survivor; the ids moved (0 on
    a store whose ops schema is not migrated yet, which holds no such data)."""
    if conn.execute("select to_regprocedure(%s)", (MOVE,)).fetchone()[0] is None:
        return 0
    retired, survivors = conn.execute(
        """select array_agg(retired_id order by retired_id),
                  array_agg(elder_id order by retired_id)
        from linkage.cluster_events, unnest(other_elder_ids) as retired_id
        where run_id = %s and event = 'merge'""",
        (run_id,),
    ).fetchone()
    if not retired:
        return 0
    return conn.execute(
        "select ops.move_elder_ids(%s, %s, %s)",
        (retired, survivors, f"linkage run {run_id} merged the elder into another"),
    ).fetchone()[0]
