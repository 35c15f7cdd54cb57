"""A.6 complaints: one passed on by an outside body with its promised reply time, handled to a
complete record; one answered at once; an incomplete record cannot close."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from tests.operational_api.flows import Loop


@pytest.fixture(scope="module")
def loop(world) -> Loop:
    return Loop(world)


def test_a_complaint_from_the_media_is_handled_within_its_reply_time(loop, world):
    order_id = loop.service_order_in("closed")
    handler, handler_headers = world.account(
        "supervisor", scope_level="district", scope_code="120104000000"
    )
    body = {"source": "media", "source_name": "天津日报", "order_id": order_id,
            "content": "读者反映助洁服务敷衍", "reply_hours": 48}  # fmt: skip
    complaint = loop.call("POST", "/complaints", loop.operator, body, 201)
    received = datetime.fromisoformat(complaint["received_at"])
    assert datetime.fromisoformat(complaint["reply_due_at"]) - received == timedelta(hours=48)
    assert complaint["state"] == "received" and complaint["organisation_id"] == loop.org

    cid = complaint["id"]
    early = loop.client.post(f"/complaints/{cid}/close", headers=loop.operator)
    assert early.status_code == 409 and "'received'" in early.json()["error"]["message"]
    loop.call("POST", f"/complaints/{cid}/assign", loop.operator, {"handler_id": handler["id"]})
    loop.call("POST", f"/complaints/{cid}/investigation", handler_headers,
              {"text": "与老人和机构核实，服务时长不足"})  # fmt: skip
    loop.call("POST", f"/complaints/{cid}/resolution", handler_headers,
              {"text": "机构免费补做一次并整改"})  # fmt: skip
    replied = loop.call("POST", f"/complaints/{cid}/reply", handler_headers,
                        {"text": "已回复天津日报：补做并整改"})  # fmt: skip
    assert datetime.fromisoformat(replied["replied_at"]) <= datetime.fromisoformat(
        replied["reply_due_at"])  # fmt: skip
    closed = loop.call("POST", f"/complaints/{cid}/close", handler_headers)
    assert closed["state"] == "closed"
    for field in ("investigation_notes", "resolution", "reply", "handler_id", "closed_at"):
        assert closed[field], field


def test_an_outside_complaint_must_name_its_source(loop):
    body = {"source": "consumer_association", "content": "转递投诉"}
    response = loop.client.post("/complaints", json=body, headers=loop.operator)
    assert response.status_code == 422
    assert "source_name" in response.json()["error"]["message"]


def test_an_elder_complaint_answered_at_once_closes_with_its_answer(loop, world):
    elder = loop.elder()
    body = {"source": "elder", "elder_id": elder, "content": "服务人员没穿工作服",
            "answer": "已记录并提醒机构规范着装"}  # fmt: skip
    complaint = loop.call("POST", "/complaints", loop.operator, body, 201)
    assert complaint["state"] == "answered"
    hours = (datetime.fromisoformat(complaint["reply_due_at"])
             - datetime.fromisoformat(complaint["received_at"]))  # fmt: skip
    assert hours == timedelta(hours=world.settings.api.complaint_reply_hours)
    closed = loop.call("POST", f"/complaints/{complaint['id']}/close", loop.operator)
    assert closed["state"] == "closed"
