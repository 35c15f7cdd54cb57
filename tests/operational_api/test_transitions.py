"""Every transition attempted from every state that is not an allowed predecessor gets 409,
with a message naming the order's current state, and leaves the order as it was.

One exception, by design: a consultation has no organisation, so the organisation-side
actions (assign, grab, start, record) cannot even see it and get 404, never 409."""

from __future__ import annotations

import pytest

from operational_api.orders.transitions import CONSULTATION_STATES, SERVICE_STATES, TRANSITIONS
from tests.operational_api.flows import Loop

STATES = [("service", s) for s in SERVICE_STATES] + [
    ("consultation", s) for s in CONSULTATION_STATES
]
ORG_SIDE = {"assign", "grab", "start", "file_record"}
ILLEGAL = [
    pytest.param(action, kind, state, id=f"{action}-from-{kind}-{state}")
    for action, rule in TRANSITIONS.items()
    for kind, state in STATES
    if (kind != rule.kind or state not in rule.sources)
    and not (kind == "consultation" and action in ORG_SIDE)
]
INVISIBLE = [
    pytest.param(action, state, id=f"{action}-on-consultation-{state}")
    for action in sorted(ORG_SIDE)
    for _, state in STATES
    if _ == "consultation"
]


@pytest.fixture(scope="module")
def loop(world) -> Loop:
    return Loop(world)


@pytest.fixture(scope="module")
def orders_by_state(loop) -> dict:
    """One order per (kind, state), made once for the module."""
    made = {}
    for kind, state in STATES:
        made[kind, state] = (
            loop.service_order_in(state) if kind == "service" else loop.consultation_in(state)
        )
    return made


def attempt(loop: Loop, action: str, order_id: int):
    o, c = f"/orders/{order_id}", f"/consultations/{order_id}"
    calls = {
        "review": (f"{o}/review", loop.dispatcher, None),
        "dispatch": (f"{o}/dispatch", loop.dispatcher, None),
        "assign": (f"{o}/assign", loop.org_admin, {"staff_id": loop.staff["id"]}),
        "grab": (f"{o}/grab", loop.staff_headers, None),
        "start": (f"{o}/start", loop.staff_headers, {"code": "ANYCODE234"}),
        "file_record": (
            f"{o}/record",
            loop.staff_headers,
            {"record_text": "打扫完毕", "hours": 1, "result": "completed"},
        ),
        "accept_record": (f"{o}/record-review", loop.operator, {"acceptable": True, "note": "ok"}),
        "reject_record": (f"{o}/record-review", loop.operator, {"acceptable": False, "note": "x"}),
        "follow_up_resolved": (
            f"{o}/followups",
            loop.operator,
            {"method": "call", "resolved": True, "satisfaction": 4},
        ),
        "follow_up_unresolved": (
            f"{o}/followups",
            loop.operator,
            {"method": "call", "resolved": False},
        ),
        "cancel": (f"{o}/cancel", loop.operator, {"reason": "不需要了"}),
        "answer": (f"{c}/answer", loop.operator, {"answer": "已答复"}),
        "refer": (f"{c}/refer", loop.operator, {"referred_to": "区民政局"}),
        "close": (f"{c}/close", loop.operator, None),
    }
    path, headers, body = calls[action]
    return loop.client.post(path, json=body, headers=headers)


def test_every_action_has_an_http_call(loop):
    assert set(TRANSITIONS) == {
        "review",
        "dispatch",
        "assign",
        "grab",
        "start",
        "file_record",
        "accept_record",
        "reject_record",
        "follow_up_resolved",
        "follow_up_unresolved",
        "cancel",
        "answer",
        "refer",
        "close",
    }


@pytest.mark.parametrize(("action", "kind", "state"), ILLEGAL)
def test_illegal_transition_is_a_409_naming_the_current_state(
    loop, orders_by_state, action, kind, state
):
    order_id = orders_by_state[kind, state]
    response = attempt(loop, action, order_id)
    assert response.status_code == 409, response.text
    error = response.json()["error"]
    assert error["code"] == "illegal_transition"
    assert f"'{state}'" in error["message"]
    after = loop.client.get(f"/orders/{order_id}", headers=loop.operator).json()
    assert after["state"] == state


@pytest.mark.parametrize(("action", "state"), INVISIBLE)
def test_organisation_side_actions_cannot_see_a_consultation(loop, orders_by_state, action, state):
    order_id = orders_by_state["consultation", state]
    response = attempt(loop, action, order_id)
    assert response.status_code == 404, response.text
    after = loop.client.get(f"/orders/{order_id}", headers=loop.operator).json()
    assert after["state"] == state
