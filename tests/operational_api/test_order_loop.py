"""The whole Annex A loop over HTTP, for a service order and for a consultation."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from tests.operational_api.flows import Loop


@pytest.fixture(scope="module")
def loop(world) -> Loop:
    return Loop(world)


def test_service_order_goes_round_the_whole_loop(loop, world):
    order = loop.intake()
    oid = order["id"]
    assert order["state"] == "accepted"
    assert len(order["unique_code"]) == 10
    assert order["organisation_id"] == loop.org and order["match"]["chosen"] == loop.org
    assert order["due_at"] is not None

    for state in ("reviewed", "dispatched", "assigned"):
        loop.step(oid, state)
    seen_by_staff = loop.call("GET", f"/orders/{oid}", loop.staff_headers)
    assert seen_by_staff["unique_code"] is None  # staff must get the code from the elder

    loop.call("POST", f"/orders/{oid}/start", loop.staff_headers, {"code": order["unique_code"]})
    loop.call(
        "POST",
        f"/orders/{oid}/record",
        loop.staff_headers,
        {"record_text": "打扫了厨房和卫生间", "hours": 2.5, "result": "completed"},
    )
    loop.call(
        "POST", f"/orders/{oid}/record-review", loop.operator, {"acceptable": True, "note": "ok"}
    )
    follow = loop.call(
        "POST",
        f"/orders/{oid}/followups",
        loop.operator,
        {"method": "visit", "resolved": True, "satisfaction": 5, "comments": "很满意"},
        201,
    )
    assert follow["order_state"] == "closed"

    final = loop.call("GET", f"/orders/{oid}", loop.operator)
    assert final["state"] == "closed" and final["satisfaction"] == 5
    assert float(final["hours"]) == 2.5 and final["result"] == "completed"
    for stamp in (
        "reviewed_at",
        "dispatched_at",
        "assigned_at",
        "started_at",
        "returned_at",
        "record_accepted_at",
        "closed_at",
    ):
        assert final[stamp] is not None, stamp
    events = loop.call("GET", f"/orders/{oid}/events", loop.operator)
    assert [e["to_state"] for e in events] == [
        "accepted",
        "reviewed",
        "dispatched",
        "assigned",
        "in_service",
        "returned",
        "record_accepted",
        "closed",
    ]
    with world.engine.connect() as conn:
        actions = (
            conn.execute(
                text(
                    "select action from ops.audit_log where entity = 'order' and entity_id = :i"
                    " order by id"
                ),
                {"i": str(oid)},
            )
            .scalars()
            .all()
        )
    assert actions == [
        "order.intake",
        "order.review",
        "order.dispatch",
        "order.assign",
        "order.start",
        "order.file_record",
        "order.accept_record",
        "order.follow_up_resolved",
    ]


def test_wrong_unique_code_is_refused_and_logged(loop, world):
    oid = loop.service_order_in("assigned")
    response = loop.client.post(
        f"/orders/{oid}/start", json={"code": "WRONGCODE9"}, headers=loop.staff_headers
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    assert "unique code" in response.json()["error"]["message"]
    assert loop.call("GET", f"/orders/{oid}", loop.operator)["state"] == "assigned"
    with world.engine.connect() as conn:
        attempts = (
            conn.execute(
                text("select accepted from ops.checkin_attempts where order_id = :i"), {"i": oid}
            )
            .scalars()
            .all()
        )
        refused = conn.execute(
            text(
                "select count(*) from ops.audit_log where action = 'order.start_refused'"
                " and entity_id = :i"
            ),
            {"i": str(oid)},
        ).scalar()
    assert attempts == [False] and refused == 1


def test_an_elder_the_database_no_longer_counts_is_shown_but_not_taken_in(loop, world):
    dead = world.elder(exclusion_reason="dead")
    shown = loop.call("GET", f"/elders/{dead}", loop.operator)
    assert shown["is_eligible"] is False and shown["exclusion_reason"] == "dead"
    body = {"elder_id": dead, "kind": "consultation", "channel": "call_centre",
            "description": "询问助餐服务"}  # fmt: skip
    refused = loop.call("POST", "/orders", loop.operator, body, 409)
    assert refused["error"]["code"] == "elder_not_counted"
    assert f"elder {dead} has died" in refused["error"]["message"]
    counted = loop.call("POST", "/orders", loop.operator, {**body, "elder_id": world.elder()}, 201)
    assert counted["state"] == "accepted"


def test_unacceptable_record_goes_back_for_a_second_dispatch(loop):
    oid = loop.service_order_in("returned")
    order = loop.call(
        "POST",
        f"/orders/{oid}/record-review",
        loop.operator,
        {"acceptable": False, "note": "回单缺少服务结果"},
    )
    assert order["state"] == "dispatched"
    assert order["dispatch_count"] == 2 and order["staff_id"] is None
    loop.step(oid, "assigned")
    assert loop.call("GET", f"/orders/{oid}", loop.operator)["state"] == "assigned"


def test_unresolved_follow_up_stays_tracked_until_resolved(loop):
    oid = loop.service_order_in("unresolved")
    tracked = loop.call("GET", "/followups/unresolved", loop.operator)
    assert oid in [o["id"] for o in tracked]
    loop.call(
        "POST",
        f"/orders/{oid}/followups",
        loop.operator,
        {"method": "call", "resolved": True, "satisfaction": 4},
        201,
    )
    tracked = loop.call("GET", "/followups/unresolved", loop.operator)
    assert oid not in [o["id"] for o in tracked]
    assert len(loop.call("GET", f"/orders/{oid}/followups", loop.operator)) == 2


@pytest.mark.parametrize("route", ["answer", "refer"])
def test_consultation_is_answered_or_referred_then_closed(loop, route):
    order = loop.intake("consultation", description="咨询高龄津贴怎么申领")
    assert order["kind"] == "consultation" and order["organisation_id"] is None
    body = (
        {"answer": "到街道便民服务中心申领"}
        if route == "answer"
        else {"referred_to": "南开区民政局养老科"}
    )
    done = loop.call("POST", f"/consultations/{order['id']}/{route}", loop.operator, body)
    assert done["state"] == {"answer": "answered", "refer": "referred"}[route]
    closed = loop.call("POST", f"/consultations/{order['id']}/close", loop.operator)
    assert closed["state"] == "closed" and closed["closed_at"] is not None
