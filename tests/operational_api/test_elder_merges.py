"""When a linkage run merges two elders, the API's data about the retired id follows the elder
who carries it on, with an audit row; the pipeline can do that and nothing else in ops."""

from __future__ import annotations

import itertools

import psycopg
import pytest
from sqlalchemy import text

from quality.linkage import identity, ops_ids
from tests.operational_api.flows import Loop
from warehouse.connection import connect

_runs = itertools.count(10**9)  # run ids no real linkage run of the suite reaches


@pytest.fixture
def loop(world) -> Loop:
    return Loop(world)


def merge(settings, survivor: int, *retired: int) -> int:
    """Log a merge as a linkage run would, and let the run follow it; the ids moved."""
    run_id = next(_runs)
    with connect(settings, "pipeline") as conn:
        for ddl in identity.EVENTS_DDL:
            conn.execute(ddl)
        conn.execute(
            "insert into linkage.cluster_events (run_id, event, elder_id, other_elder_ids, rows)"
            " values (%s, 'merge', %s, %s, 2)",
            (run_id, survivor, list(retired)),
        )
        moved = ops_ids.follow_merges(conn, run_id)
        conn.commit()
    return moved


def test_a_merge_moves_orders_agreements_and_designation_to_the_survivor(loop, world):
    retired, survivor = loop.elder(), loop.elder()  # each with an agreement with the loop's org
    order = loop.intake(elder_id=retired)["id"]
    other = world.organisation()
    for elder, org in ((survivor, other), (retired, loop.org)):  # the retired one's is latest
        body = {"organisation_id": org}
        loop.call("PUT", f"/elders/{elder}/designated-organisation", loop.operator, body)
    assert merge(world.settings, survivor, retired) == 1
    assert loop.call("GET", f"/orders/{order}", loop.operator)["elder_id"] == survivor
    agreements = loop.call("GET", f"/elders/{survivor}/agreements", loop.operator)
    assert [a["organisation_id"] for a in agreements] == [loop.org]  # the first one kept
    shown = loop.call("GET", f"/elders/{survivor}", loop.operator)
    assert shown["designated_organisation_id"] == loop.org
    with world.engine.connect() as conn:
        left = conn.execute(
            text(
                "select (select count(*) from ops.orders where elder_id = :r)"
                " + (select count(*) from ops.agreements where elder_id = :r)"
                " + (select count(*) from ops.elder_profiles where elder_id = :r)"
            ),
            {"r": retired},
        ).scalar()
        audit = conn.execute(
            text("select after from ops.audit_log where action = 'elder.id_moved'"
                 " and entity_id = :r"), {"r": str(retired)}
        ).scalars().all()  # fmt: skip
    assert left == 0
    assert [a["elder_id"] for a in audit] == [survivor]


def test_an_id_without_api_data_moves_nothing_and_leaves_no_trace(world):
    assert merge(world.settings, world.elder(), world.elder()) == 0


def test_the_pipeline_cannot_write_ops_otherwise(world):
    with (
        connect(world.settings, "pipeline") as conn,
        pytest.raises(psycopg.errors.InsufficientPrivilege),
    ):
        conn.execute("update ops.orders set elder_id = elder_id where false")
