"""The audit log: every write appends who/when/what/before/after; the API role cannot change
it; a row altered or deleted in SQL is named by `eldercare audit verify`."""

from __future__ import annotations

import psycopg
import pytest
from typer.testing import CliRunner

from orchestration.commands.audit import app as audit_cli
from tests.operational_api.flows import Loop
from warehouse.connection import connect


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
    assert row["at"] is not None and len(row["hash"]) == 64


def test_the_api_role_cannot_change_or_delete_the_log(world):
    with connect(world.settings, "api") as conn:
        for statement in ("update ops.audit_log set action = 'x'", "delete from ops.audit_log"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)
            conn.rollback()


def test_verify_reports_a_row_altered_in_sql(loop, world):
    order_id = loop.service_order_in("dispatched")
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
    row = _latest_order_row(world.settings, order_id)
    loop.service_order_in("accepted")  # so the deleted row has a successor
    with connect(world.settings, "admin", autocommit=True) as conn:
        successor = conn.execute(
            "select min(id) from ops.audit_log where id > %s", (row["id"],)
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
