"""5.5.1 call centre over HTTP: a one-key call becomes a ticket at once and escalates when left
unanswered; consultations are answered or referred; tickets link to orders; every step audited."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.operational_api.flows import Loop
from tests.operational_api.iot import at, event, register


@pytest.fixture(scope="module")
def loop(world) -> Loop:
    return Loop(world)


def test_a_one_key_call_becomes_a_ticket_and_escalates_when_unanswered(loop, world, app):
    minutes = world.settings.api.alarm_escalation_minutes
    elder = loop.elder()
    terminal, device = register(world, loop.operator, elder, "one_key_terminal")
    pressed = world.now().replace(microsecond=0)
    with at(app, pressed):
        made = world.client.post(
            "/devices/events",
            headers=device,
            json=event("one_key", pressed, latitude=39.1, longitude=117.2),
        )
    assert made.status_code == 201, made.text
    [ticket_id] = made.json()["tickets"]
    with at(app, pressed + timedelta(minutes=minutes) - timedelta(seconds=1)):
        queue = loop.call("GET", "/calls/queue", loop.operator)
    ticket = next(t for t in queue if t["id"] == ticket_id)
    assert ticket["kind"] == "one_key" and ticket["state"] == "open"
    assert (ticket["elder_id"], ticket["device_id"]) == (elder, terminal["id"])
    assert ticket["location"] == terminal["install_address"]
    assert float(ticket["latitude"]) == 39.1 and ticket["event_id"] == made.json()["event_id"]
    assert ticket["opened_at"].startswith(pressed.isoformat()[:19])
    with at(app, pressed + timedelta(minutes=minutes)):
        queue = loop.call("GET", "/calls/queue", loop.operator)
    ticket = next(t for t in queue if t["id"] == ticket_id)
    assert ticket["state"] == "escalated" and ticket["escalated_at"] is not None
    assert queue[0]["state"] == "escalated"  # escalated calls head the queue
    answered = loop.call("POST", f"/calls/{ticket_id}/answer", loop.operator,
                         {"answer": "已联系家属，社区网格员上门查看"})  # fmt: skip
    assert answered["state"] == "answered"
    loop.call("POST", f"/calls/{ticket_id}/close", loop.operator)
    again = world.client.post(f"/calls/{ticket_id}/close", headers=loop.operator)
    assert again.status_code == 409 and "'closed'" in again.json()["error"]["message"]
    _, auditor = world.account("auditor")
    log = loop.call("GET", f"/audit?entity=call_ticket&entity_id={ticket_id}", auditor)
    assert [e["action"] for e in reversed(log)] == [
        "call.open.one_key", "call.escalate", "call.answer", "call.close"]  # fmt: skip


def test_the_sweep_escalates_only_alarms_past_the_threshold(loop, world, app):
    minutes = world.settings.api.alarm_escalation_minutes
    elder = loop.elder()
    start = world.now()
    with at(app, start):
        call = loop.call("POST", "/calls", loop.operator, {"kind": "one_key", "elder_id": elder},
                         status=201)  # fmt: skip
        question = loop.call("POST", "/calls", loop.operator,
                             {"kind": "consultation", "elder_id": elder,
                              "question": "高龄津贴怎么申领"}, status=201)  # fmt: skip
    with at(app, start + timedelta(minutes=minutes + 1)):
        swept = loop.call("POST", "/calls/sweep", loop.operator)
    assert call["id"] in swept["escalated"] and question["id"] not in swept["escalated"]
    assert loop.call("GET", f"/calls/{question['id']}", loop.operator)["state"] == "open"


def test_a_consultation_is_answered_or_referred_to_a_named_department(loop, world):
    elder = loop.elder()
    asked = {"kind": "consultation", "elder_id": elder, "question": "居家养老服务补贴标准是多少"}
    first = loop.call("POST", "/calls", loop.operator, asked, 201)
    done = loop.call("POST", f"/calls/{first['id']}/answer", loop.operator,
                     {"answer": "轻度200元、中度400元、重度600元每月"})  # fmt: skip
    assert done["state"] == "answered" and "400" in done["answer"]
    second = loop.call("POST", "/calls", loop.operator, asked, 201)
    referred = loop.call("POST", f"/calls/{second['id']}/refer", loop.operator,
                         {"referred_to": "南开区民政局养老服务科", "note": "已转接"})  # fmt: skip
    assert referred["state"] == "referred" and referred["referred_to"] == "南开区民政局养老服务科"
    mine = loop.call("GET", f"/calls?elder_id={elder}", loop.operator)
    assert {t["id"] for t in mine} == {first["id"], second["id"]}
    alarm = loop.call("POST", "/calls", loop.operator, {"kind": "one_key", "elder_id": elder}, 201)
    refused = world.client.post(f"/calls/{alarm['id']}/refer", headers=loop.operator,
                                json={"referred_to": "派出所"})  # fmt: skip
    assert refused.status_code == 409 and "one_key" in refused.json()["error"]["message"]


def test_a_ticket_opens_a_linked_service_order(loop, world):
    elder = loop.elder()
    ticket = loop.call("POST", "/calls", loop.operator, {"kind": "one_key", "elder_id": elder}, 201)
    body = {"item_id": world.items["居家保洁"], "organisation_id": loop.org,
            "description": "一键呼叫：老人需要上门打扫卫生，清洁厨房"}  # fmt: skip
    linked = loop.call("POST", f"/calls/{ticket['id']}/order", loop.operator, body, 201)
    order = loop.call("GET", f"/orders/{linked['order_id']}", loop.operator)
    assert order["elder_id"] == elder and order["channel"] == "one_key"
    listed = loop.call("GET", f"/calls?elder_id={elder}", loop.operator)
    assert listed[0]["order_id"] == order["id"] and listed[0]["order_state"] == "accepted"
    twice = world.client.post(f"/calls/{ticket['id']}/order", headers=loop.operator, json=body)
    assert twice.status_code == 409
