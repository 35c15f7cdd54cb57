"""The audit log: every write appends who/when/what/before/after; the API role cannot change
it; the sealer chains every committed row, concurrent writes included, into one chain; a row
altered or deleted in SQL after sealing is named by `eldercare audit verify`, and rows not yet
sealed are reported."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

import psycopg
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from operational_api.audit import service as audit
from orchestration.commands.audit import app as audit_cli
from tests.operational_api.flows import DESCRIPTION, Loop
from warehouse.connection import connect

WRITERS = 40


def wait_until_sealed(settings, timeout: float = 30) -> None:
    """Until the app's sealer has chained every committed row."""
    deadline = time.monotonic() + timeout
    with connect(settings, "admin", autocommit=True) as conn:
        while conn.execute("select count(*) from ops.audit_log where hash is null").fetchone()[0]:
            assert time.monotonic() < deadline, "the sealer did not seal within the timeout"
            time.sleep(0.05)


@pytest.fixture(scope="module")
def loop(world) -> Loop:
    return Loop(world)


def _latest_order_row(settings, order_id: int) -> dict:
    with connect(settings, "admin", row_factory=psycopg.rows.dict_row) as conn:
        return conn.execute(
            "select * from ops.audit_log where entity = 'order' and entity_id = %s"
            " order by id desc limit 1",
            (str(order_id),),
        ).fetchone()


def test_a_transition_is_logged_with_who_before_and_after(loop, world):
    order_id = loop.service_order_in("reviewed")
    row = _latest_order_row(world.settings, order_id)
    assert row["action"] == "order.review" and row["actor_role"] == "dispatcher"
    assert row["before"]["state"] == "accepted" and row["after"]["state"] == "reviewed"
    assert row["at"] is not None
    wait_until_sealed(world.settings)
    row = _latest_order_row(world.settings, order_id)
    assert len(row["hash"]) == 64 and row["chain_seq"] > 0


def test_the_api_role_cannot_change_or_delete_the_log(world):
    with connect(world.settings, "api") as conn:
        for statement in ("update ops.audit_log set action = 'x'", "delete from ops.audit_log"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)
            conn.rollback()


def test_the_api_role_cannot_reseal_a_row_or_fork_the_chain(world):
    wait_until_sealed(world.settings)
    with connect(world.settings, "api") as conn:
        head = conn.execute(
            "select id, chain_seq, hash from ops.audit_log"
            " order by chain_seq desc nulls last limit 1"
        ).fetchone()
        attempts = (
            (head[0], head[1] + 1, head[2]),  # seal an already sealed row again
            (head[0], head[1], head[2]),  # a link at the head's own place
        )
        for row_id, seq, prev in attempts:  # prev: the head's hash, as a next link needs
            with pytest.raises(psycopg.errors.RaiseException):
                conn.execute(
                    "select ops.seal_audit_rows(%s, %s, %s, %s)",
                    ([row_id], [seq], [prev], ["f" * 64]),
                )
            conn.rollback()


def test_concurrent_writes_all_end_up_sealed_in_one_valid_chain(loop, world, app):
    elders = [loop.elder() for _ in range(WRITERS)]
    barrier = threading.Barrier(WRITERS)
    statuses: list[int] = []

    def take_in(elder_id: int) -> None:
        client = TestClient(app)  # its own client, event loop and database connection
        body = {"elder_id": elder_id, "kind": "service", "channel": "call_centre",
                "description": DESCRIPTION, "item_id": world.items["居家保洁"],
                "organisation_id": loop.org}  # fmt: skip
        barrier.wait()
        statuses.append(client.post("/orders", json=body, headers=loop.operator).status_code)

    threads = [threading.Thread(target=take_in, args=(e,)) for e in elders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [201] * WRITERS
    wait_until_sealed(world.settings)
    with connect(world.settings, "admin") as conn:
        count, links, first, last = conn.execute(
            "select count(*), count(distinct chain_seq), min(chain_seq), max(chain_seq)"
            " from ops.audit_log"
        ).fetchone()
        intakes = conn.execute(
            "select count(*) from ops.audit_log a join ops.orders o on a.entity = 'order'"
            " and a.entity_id = o.id::text and a.action = 'order.intake'"
            " where o.elder_id = any(%s) and a.hash is not null",
            (elders,),
        ).fetchone()[0]
    assert intakes == WRITERS
    assert (links, first, last) == (count, 1, count)  # one unbroken sequence, no fork
    result = CliRunner().invoke(audit_cli, ["verify"])
    assert result.exit_code == 0, result.output
    assert f"{count} sealed rows" in result.output


def test_verify_reports_rows_not_yet_sealed(world, app):
    with app.state.engine.connect() as conn:  # the row stays uncommitted, so nothing seals it
        now = datetime.now(UTC)
        audit.record(conn, actor=None, action="test.unsealed", entity="test", entity_id=1, now=now)
        found = audit.verify(conn)
        conn.rollback()
    assert found.unsealed >= 1 and found.oldest_unsealed_at <= now
    assert not found.problems


def test_verify_reports_a_row_altered_in_sql_after_sealing(loop, world):
    order_id = loop.service_order_in("dispatched")
    wait_until_sealed(world.settings)
    row = _latest_order_row(world.settings, order_id)
    runner = CliRunner()
    assert runner.invoke(audit_cli, ["verify"]).exit_code == 0
    with connect(world.settings, "admin", autocommit=True) as conn:
        conn.execute(
            "update ops.audit_log set after = jsonb_set(after, '{state}', '\"closed\"')"
            " where id = %s",
            (row["id"],),
        )
    try:
        result = runner.invoke(audit_cli, ["verify"])
        assert result.exit_code == 1
        assert f"row {row['id']}: content changed" in result.output
    finally:
        with connect(world.settings, "admin", autocommit=True) as conn:
            conn.execute(
                "update ops.audit_log set after = %s where id = %s",
                (psycopg.types.json.Jsonb(row["after"]), row["id"]),
            )
    assert runner.invoke(audit_cli, ["verify"]).exit_code == 0


def test_verify_reports_a_deleted_row(loop, world):
    order_id = loop.service_order_in("reviewed")
    loop.service_order_in("accepted")  # so the deleted row has a successor
    wait_until_sealed(world.settings)
    row = _latest_order_row(world.settings, order_id)
    with connect(world.settings, "admin", autocommit=True) as conn:
        successor = conn.execute(
            "select id from ops.audit_log where chain_seq = %s", (row["chain_seq"] + 1,)
        ).fetchone()[0]
        conn.execute("delete from ops.audit_log where id = %s", (row["id"],))
    runner = CliRunner()
    try:
        result = runner.invoke(audit_cli, ["verify"])
        assert result.exit_code == 1
        assert f"row {successor}: its previous hash does not match" in result.output
    finally:
        columns = list(row)
        with connect(world.settings, "admin", autocommit=True) as conn:
            conn.execute(
                f"insert into ops.audit_log ({', '.join(columns)}) values"
                f" ({', '.join(['%s'] * len(columns))})",
                [psycopg.types.json.Jsonb(v) if isinstance(v, dict) else v for v in row.values()],
            )
    assert runner.invoke(audit_cli, ["verify"]).exit_code == 0
