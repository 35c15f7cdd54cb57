"""`eldercare ops simulate` at a small size: history made through the service layer, with the
audit chain intact and every kind of event present, at historic timestamps."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import text
from typer.testing import CliRunner

from orchestration.commands.audit import app as audit_cli
from orchestration.commands.ops import app as ops_cli
from warehouse.connection import connect

UNTIL = datetime(2026, 6, 30, 18, 0, tzinfo=UTC)


def elder_database(settings, count: int) -> None:
    """`count` elders spread over the communities, every tenth of them dead."""
    with connect(settings, "pipeline") as conn:
        conn.execute(
            """insert into linkage.elders (elder_id, id_number, name, sex, birth_date,
                district_code, street_code, community_code, is_eligible, exclusion_reason)
            select nextval('linkage.elder_id_seq'), null, '模拟' || n, 1 + n %% 2,
                date '1930-01-01' + n * 17, left(c.code, 6), left(c.code, 9) || '000',
                c.code, n %% 10 > 0, case when n %% 10 = 0 then 'dead' end
            from generate_series(1, %s) as n
            join lateral (select code from ops.regions where level = 'community'
                          order by md5(code || n) limit 1) as c on true""",
            (count,),
        )


def test_simulate_fills_ops_with_a_consistent_history(world):
    elder_database(world.settings, 500)
    result = CliRunner().invoke(
        ops_cli,
        ["simulate", "--elders", "500", "--months", "4", "--orders-per-elder-year", "4",
         "--until", "2026-06-30T18:00:00+00:00", "--seed", "3", "--force"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    with world.engine.connect() as conn:
        q = lambda sql: conn.execute(text(sql)).all()  # noqa: E731
        [(first, last)] = q(
            "select min(created_at), max(created_at) from ops.orders"
            " where created_at < '2026-07-01' and created_by in"
            " (select id from ops.users where username like 'sim-operator-%')"
        )
        states = dict(q("select state, count(*) from ops.orders where created_at < '2026-07-01'"
                        " group by state"))  # fmt: skip
        triggers = dict(q("select trigger, count(*) from ops.supervisions s join ops.orders o"
                          " on o.id = s.order_id where o.created_at < '2026-07-01'"
                          " group by trigger"))  # fmt: skip
        second = q("select count(*) from ops.orders where dispatch_count > 1"
                   " and created_at < '2026-07-01'")[0][0]  # fmt: skip
        complaints = q("select count(*), count(*) filter (where state <> 'closed' or"
                       " (answer is null and reply is null)) from ops.complaints"
                       " where received_at < '2026-07-15'")[0]  # fmt: skip
        incomplete = q(
            "select count(*) from ops.orders where state = 'closed' and kind ="
            " 'service' and created_at < '2026-07-01' and (started_at is null or"
            " returned_at is null or hours is null or satisfaction is null)"
        )[0][0]
        dead = q("select count(*) from ops.orders o join ops.elders e using (elder_id)"
                 " where not e.is_eligible")[0][0]  # fmt: skip
    assert first >= datetime(2026, 2, 25, tzinfo=UTC) and last <= UNTIL
    assert dead == 0  # only elders the elder database counts are served
    assert states["closed"] > 100 and incomplete == 0
    assert {"overdue", "dissatisfied"} <= set(triggers)
    assert second > 0
    assert complaints[0] > 0 and complaints[1] == 0  # all closed, each with an answer or reply
    assert_monitoring_history(world)
    verified = CliRunner().invoke(audit_cli, ["verify"])
    assert verified.exit_code == 0, verified.output
    again = CliRunner().invoke(ops_cli, ["simulate", "--elders", "500"])
    assert again.exit_code == 0 and "nothing simulated" in again.output
    # --force adds a second cast beside the first, even from the same seed
    forced = CliRunner().invoke(
        ops_cli,
        ["simulate", "--elders", "50", "--months", "1", "--until", "2026-06-30T18:00:00+00:00",
         "--seed", "3", "--force"],
    )  # fmt: skip
    assert forced.exit_code == 0, forced.output


def assert_monitoring_history(world) -> None:
    """Devices with telemetry, alarms answered (some after escalation), consultations, approvals
    walked or returned, and the approved subsidy-parameter change after the simulated months."""
    with world.engine.connect() as conn:
        q = lambda sql: conn.execute(text(sql)).all()  # noqa: E731
        sim = "serial_no like 'SIM-%'"
        [(devices, events, alarms)] = q(
            f"select count(distinct d.id), count(e.id), count(e.id) filter (where e.is_alarm)"
            f" from ops.devices d join ops.device_events e on e.device_id = d.id where d.{sim}"
        )
        tickets = dict(q(f"select t.kind || ':' || t.state, count(*) from ops.call_tickets t"
                         f" left join ops.devices d on d.id = t.device_id"
                         f" where t.opened_at < '2026-07-01' and (d.id is null or d.{sim})"
                         " group by 1"))  # fmt: skip
        unlinked = q(f"select count(*) from ops.device_events e join ops.devices d on"
                     f" d.id = e.device_id where d.{sim} and e.is_alarm and not exists (select 1"
                     " from ops.call_tickets t where t.event_id = e.id)")[0][0]  # fmt: skip
        escalated = q("select count(*) from ops.call_tickets where escalated_at < '2026-07-01'")
        approvals = dict(q("select matter_type || ':' || state, count(*) from ops.approvals"
                           " where submitted_at < '2026-07-01' group by 1"))  # fmt: skip
        change = q("select amount_fen, effective_from::text from ops.subsidy_parameters"
                   " where status = 'in_force' and source_note like 'simulated:%'")  # fmt: skip
    assert devices > 10 and events > 1000 and alarms > 0 and unlinked == 0
    assert tickets.get("alarm:closed", 0) + tickets.get("one_key:closed", 0) == alarms
    assert tickets.get("consultation:closed", 0) > 0 and escalated[0][0] > 0
    assert {"subsidy_application:approved", "preferential_card:approved",
            "organisation_qualification:approved"} <= set(approvals)  # fmt: skip
    assert any(key.endswith(":returned") for key in approvals)
    assert (60000, "2026-07-01") in change
