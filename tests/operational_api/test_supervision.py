"""A.5 supervision opened by each trigger (overdue, repeated requests, dissatisfied follow-up,
by hand), with method and outcome, and counted in the organisation's evaluation."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from operational_api.deps import clock
from tests.operational_api.flows import Loop


@pytest.fixture(scope="module")
def loop(world) -> Loop:
    return Loop(world)


def cases(loop: Loop, order_id: int, trigger: str) -> list[dict]:
    found = loop.call("GET", f"/supervisions?trigger={trigger}", loop.dispatcher)
    return [c for c in found if c["order_id"] == order_id]


def test_an_order_past_its_promised_time_opens_a_case(loop, app):
    late = loop.service_order_in("dispatched")
    on_time = loop.service_order_in("dispatched")
    due = datetime.fromisoformat(loop.call("GET", f"/orders/{late}", loop.operator)["due_at"])
    started = loop.call("GET", f"/orders/{on_time}", loop.operator)
    loop.call("POST", f"/orders/{on_time}/assign", loop.org_admin, {"staff_id": loop.staff["id"]})
    loop.call("POST", f"/orders/{on_time}/start", loop.staff_headers,
              {"code": started["unique_code"]})  # fmt: skip
    loop.call("POST", "/supervisions/sweep", loop.dispatcher)
    assert cases(loop, late, "overdue") == []  # not yet due
    app.dependency_overrides[clock] = lambda: due + timedelta(minutes=1)
    try:
        loop.call("POST", "/supervisions/sweep", loop.dispatcher)
        loop.call("POST", "/supervisions/sweep", loop.dispatcher)  # idempotent
    finally:
        app.dependency_overrides.pop(clock)
    assert len(cases(loop, late, "overdue")) == 1
    assert cases(loop, on_time, "overdue") == []  # started in time: nothing to chase


def test_repeated_requests_from_one_elder_open_a_case(loop, world):
    elder = loop.elder()
    first = loop.intake(elder_id=elder)
    second = loop.intake(elder_id=elder)
    assert cases(loop, first["id"], "repeat_requests") == []
    assert cases(loop, second["id"], "repeat_requests") == []
    third = loop.intake(elder_id=elder)
    opened = cases(loop, third["id"], "repeat_requests")
    assert len(opened) == 1 and "3 requests" in opened[0]["reason"]


def test_a_dissatisfied_follow_up_opens_a_case(loop):
    order_id = loop.service_order_in("record_accepted")
    loop.call(
        "POST",
        f"/orders/{order_id}/followups",
        loop.operator,
        {"method": "call", "resolved": True, "satisfaction": 2, "comments": "来晚了"},
        201,
    )
    opened = cases(loop, order_id, "dissatisfied")
    assert len(opened) == 1 and "2/5" in opened[0]["reason"]
    satisfied = loop.service_order_in("record_accepted")
    loop.call("POST", f"/orders/{satisfied}/followups", loop.operator,
              {"method": "call", "resolved": True, "satisfaction": 5}, 201)  # fmt: skip
    assert cases(loop, satisfied, "dissatisfied") == []


def test_a_case_by_hand_records_method_and_outcome_and_counts(loop, world):
    order_id = loop.service_order_in("assigned")
    _, supervisor = world.account("supervisor", scope_level="district", scope_code="120104000000")
    before = loop.call("GET", f"/organisations/{loop.org}/evaluation", loop.dispatcher)
    case = loop.call("POST", "/supervisions", supervisor, {"order_id": order_id,
                     "reason": "老人电话催促"}, 201)  # fmt: skip
    assert case["trigger"] == "manual" and case["state"] == "open"
    done = loop.call(
        "POST",
        f"/supervisions/{case['id']}/actions",
        supervisor,
        {"method": "phone", "outcome": "机构已安排今日上门", "close": True},
    )
    assert done["method"] == "phone" and done["state"] == "closed"
    after = loop.call("GET", f"/organisations/{loop.org}/evaluation", loop.dispatcher)
    assert after["supervision_cases"].get("manual", 0) == before["supervision_cases"].get(
        "manual", 0) + 1  # fmt: skip
    assert after["score"] < before["score"] or before["score"] == 0
    again = loop.client.post(
        f"/supervisions/{case['id']}/actions",
        headers=supervisor,
        json={"method": "phone", "outcome": "再次", "close": True},
    )
    assert again.status_code == 409
