"""5.5.2 IoT over HTTP: alarm events open tickets, bad and unauthenticated posts are refused with
a reason and kept, silence raises an alarm, and event history is shared read-only in scope."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import ProgrammingError

from tests.operational_api.conftest import COMMUNITY_A1, DISTRICT, STREET_A, STREET_B
from tests.operational_api.flows import Loop
from tests.operational_api.iot import at, event, register


@pytest.fixture(scope="module")
def loop(world) -> Loop:
    return Loop(world)


@pytest.fixture(scope="module")
def detector(loop, world):
    elder = loop.elder()
    device, headers = register(world, loop.operator, elder, "fall_detector")
    return {"elder": elder, "device": device, "headers": headers}


def rejected(loop, device_id=None) -> list[dict]:
    query = f"?device_id={device_id}" if device_id else "?limit=20"
    return loop.call("GET", f"/devices/rejected{query}", loop.operator)


def test_an_alarm_event_opens_a_ticket_and_telemetry_does_not(loop, world, detector):
    headers, now = detector["headers"], world.now()
    beat = world.client.post("/devices/events", headers=headers,
                             json=event("heartbeat", now, battery=80))  # fmt: skip
    assert beat.status_code == 201 and beat.json()["tickets"] == []
    fall = world.client.post("/devices/events", headers=headers, json=event("fall", now))
    assert fall.status_code == 201, fall.text
    [ticket_id] = fall.json()["tickets"]
    ticket = loop.call("GET", f"/calls/{ticket_id}", loop.operator)
    assert (ticket["kind"], ticket["alarm_kind"], ticket["state"]) == ("alarm", "fall", "open")
    assert ticket["event_id"] == fall.json()["event_id"]
    assert (ticket["device_id"], ticket["elder_id"]) == (
        detector["device"]["id"],
        detector["elder"],
    )
    again = world.client.post("/devices/events", headers=headers, json=event("fall", now))
    assert again.json()["tickets"] == [ticket_id]  # the open ticket, not a second one
    history = loop.call("GET", f"/devices/events?device_id={detector['device']['id']}",
                        loop.operator)  # fmt: skip
    assert [e["kind"] for e in history].count("fall") == 2 and len(history) == 3
    assert sum(e["is_alarm"] for e in history) == 2


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        pytest.param(b'{"kind": "fall", "at": ', "JSON", id="not JSON"),
        pytest.param(b'{"kind": "explosion", "at": "2026-01-01T00:00:00+08:00"}', "kind",
                     id="unknown kind"),
        pytest.param(b'{"kind": "fall", "at": "2026-01-01T00:00:00"}', "timezone",
                     id="time without offset"),
        pytest.param(b'{"kind": "no_activity", "at": "2026-01-01T00:00:00Z"}', "hours",
                     id="no_activity without hours"),
        pytest.param(b'{"kind": "smoke", "at": "2026-01-01T00:00:00Z"}', "fall_detector does not",
                     id="a kind the device does not send"),
        pytest.param(b'{"kind": "fall", "at": "2099-01-01T00:00:00Z"}', "future",
                     id="from the future"),
    ],
)  # fmt: skip
def test_a_malformed_event_is_refused_with_a_reason_and_kept(loop, world, detector, body, reason):
    headers = {**detector["headers"], "Content-Type": "application/json"}
    response = world.client.post("/devices/events", headers=headers, content=body)
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "invalid_event" and reason in error["message"]
    [kept] = rejected(loop, detector["device"]["id"])[:1]
    assert kept["body"] == body.decode() and kept["status"] == 422 and reason in kept["reason"]


@pytest.mark.parametrize(
    ("headers", "claimed"),
    [
        pytest.param({}, None, id="no headers"),
        pytest.param({"X-Device-Id": "DEVICE"}, None, id="key missing"),
        pytest.param({"X-Device-Key": "wrong"}, "DEVICE", id="wrong key"),
        pytest.param({"X-Device-Id": "99999999", "X-Device-Key": "x" * 43}, "99999999",
                     id="unknown device"),
    ],
)  # fmt: skip
def test_an_unauthenticated_post_is_refused_and_kept(loop, world, detector, headers, claimed):
    device_id = str(detector["device"]["id"])
    if headers.get("X-Device-Id") == "DEVICE":
        headers = {**headers, "X-Device-Id": device_id}
    if "X-Device-Key" in headers and "X-Device-Id" not in headers:
        headers = {**headers, "X-Device-Id": device_id}
    marker = f"sos-{world.now().timestamp()}"
    body = event("sos", world.now(), camera_ref=marker)
    response = world.client.post("/devices/events", headers=headers, json=body)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorised"
    kept = next(r for r in rejected(loop) if marker in (r["body"] or ""))
    assert kept["status"] == 401 and kept["device_id"] is None
    assert kept["reason"] in ("missing X-Device-Id or X-Device-Key header",
                              "unknown device or wrong device key")  # fmt: skip
    stored = loop.call("GET", f"/devices/events?device_id={device_id}&kind=sos", loop.operator)
    assert stored == []


def test_a_retired_device_is_refused(loop, world):
    device, headers = register(world, loop.operator, loop.elder(), "smoke_sensor")
    loop.call("PATCH", f"/devices/{device['id']}", loop.operator, {"status": "retired"})
    response = world.client.post("/devices/events", headers=headers,
                                 json=event("smoke", world.now()))  # fmt: skip
    assert response.status_code == 403 and "retired" in response.json()["error"]["message"]
    assert rejected(loop, device["id"])[0]["status"] == 403


def test_a_batch_is_stored_whole_or_not_at_all(loop, world):
    device, headers = register(world, loop.operator, loop.elder(), "watch")
    now = world.now()
    good = [event("location", now - timedelta(seconds=s), latitude=39.1, longitude=117.2)
            for s in range(5)] + [event("sos", now)]  # fmt: skip
    bad = [*good[:2], event("location", now)]  # no coordinates
    refused = world.client.post("/devices/events:batch", headers=headers, json={"events": bad})
    assert refused.status_code == 422 and "events.2" in refused.json()["error"]["message"]
    assert loop.call("GET", f"/devices/events?device_id={device['id']}", loop.operator) == []
    stored = world.client.post("/devices/events:batch", headers=headers, json={"events": good})
    assert stored.status_code == 201 and stored.json()["accepted"] == 6
    assert len(stored.json()["tickets"]) == 1
    history = loop.call("GET", f"/devices/events?device_id={device['id']}", loop.operator)
    assert len(history) == 6


def test_silence_for_n_hours_raises_one_no_activity_alarm(loop, world, app):
    hours = world.settings.api.no_activity_hours
    device, headers = register(world, loop.operator, loop.elder(), "door_sensor")
    last = world.now()
    world.client.post("/devices/events", headers=headers, json=event("door_open", last))

    def alarms() -> list[dict]:
        found = loop.call("GET", "/calls?kind=alarm&limit=1000", loop.operator)
        return [t for t in found if t["device_id"] == device["id"]]

    with at(app, last + timedelta(hours=hours) - timedelta(minutes=1)):
        loop.call("POST", "/calls/sweep", loop.operator)
    assert alarms() == []
    with at(app, last + timedelta(hours=hours, minutes=1)):
        loop.call("POST", "/calls/sweep", loop.operator)
        loop.call("POST", "/calls/sweep", loop.operator)
    [alarm] = alarms()
    assert alarm["alarm_kind"] == "no_activity" and alarm["elder_id"] == device["elder_id"]
    short = event("no_activity", world.now(), hours=hours - 1)
    reported = world.client.post("/devices/events", headers=headers, json=short)
    assert reported.json()["tickets"] == []  # shorter than N hours: stored, no alarm


@pytest.fixture(scope="module")
def readers(loop, world, detector):
    sup = lambda level, code: world.account("supervisor", scope_level=level, scope_code=code)[1]  # noqa: E731
    return {
        "operator": (loop.operator, True),
        "supervisor_district": (sup("district", DISTRICT), True),
        "supervisor_street_a": (sup("street", STREET_A), True),
        "supervisor_community_a1": (sup("community", COMMUNITY_A1), True),
        "supervisor_street_b": (sup("street", STREET_B), False),
        "elder_self": (world.account("elder", elder_id=detector["elder"])[1], True),
        "elder_other": (world.account("elder", elder_id=loop.elder())[1], False),
    }


@pytest.mark.parametrize(
    "actor",
    ["operator", "supervisor_district", "supervisor_street_a", "supervisor_community_a1",
     "supervisor_street_b", "elder_self", "elder_other"],
)  # fmt: skip
def test_event_history_and_tickets_are_shared_only_in_scope(loop, world, detector, readers, actor):
    headers, sees = readers[actor]
    device_id = detector["device"]["id"]
    world.client.post("/devices/events", headers=detector["headers"],
                      json=event("heartbeat", world.now()))  # fmt: skip
    history = world.client.get(f"/devices/events?device_id={device_id}", headers=headers)
    assert history.status_code == 200
    assert bool(history.json()) == sees
    by_elder = world.client.get(f"/devices/events?elder_id={detector['elder']}", headers=headers)
    assert bool(by_elder.json()) == sees
    device = world.client.get(f"/devices/{device_id}", headers=headers)
    assert device.status_code == (200 if sees else 404)
    tickets = world.client.get(f"/calls?elder_id={detector['elder']}", headers=headers)
    assert tickets.status_code == 200 and bool(tickets.json()) == sees


@pytest.mark.parametrize("role", ["dispatcher", "sysadmin", "auditor", "street_staff"])
def test_other_roles_may_not_read_device_events(world, detector, role):
    fields = {"scope_level": "street", "scope_code": STREET_A} if role == "street_staff" else {}
    _, headers = world.account(role, **fields)
    response = world.client.get(f"/devices/events?elder_id={detector['elder']}", headers=headers)
    assert response.status_code == 403


def test_device_events_are_append_only_for_the_api(world, detector):
    with world.engine.connect() as conn, pytest.raises(ProgrammingError, match="permission"):
        conn.execute(text("update ops.device_events set kind = 'fall' where device_id = :d"),
                     {"d": detector["device"]["id"]})  # fmt: skip
    with world.engine.connect() as conn, pytest.raises(ProgrammingError, match="permission"):
        conn.execute(text("delete from ops.device_events_rejected"))
    response = world.client.delete("/devices/events", headers={})
    assert response.status_code == 405
