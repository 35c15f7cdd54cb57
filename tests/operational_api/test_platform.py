"""Start-up, credentials, errors, review rules, staff management and the plumbing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from operational_api.config import SECRET_ENV
from operational_api.main import create_app
from operational_api.roles import Principal
from operational_api.security import make_token
from tests.operational_api.conftest import PASSWORD
from tests.operational_api.flows import Loop
from warehouse.settings import ConfigError


@pytest.fixture(scope="module")
def loop(world) -> Loop:
    return Loop(world)


@pytest.mark.parametrize("secret", ["changethis", "CHANGETHIS", "secret", "short-but-random"])
def test_the_app_refuses_to_start_with_a_placeholder_secret(api_settings, monkeypatch, secret):
    monkeypatch.setenv(SECRET_ENV, secret)
    with pytest.raises(ConfigError, match=SECRET_ENV):
        create_app(api_settings, sweep_seconds=None)


def test_passwords_are_stored_as_argon2_hashes(loop, world):
    with world.engine.connect() as conn:
        stored = conn.execute(
            text("select password_hash from ops.users where id = :i"), {"i": loop.staff["id"]}
        ).scalar()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_errors_share_one_shape(loop, world):
    client = world.client
    wrong = client.post("/auth/token", json={"username": loop.staff["phone"], "password": "nope"})
    missing = client.get("/orders")
    invalid = client.post("/orders", json={"kind": "x"}, headers=loop.operator)
    expired_token = make_token(
        claims=Principal(user_id=1, role="operator").claims(),
        secret=world.app.state.config.secret, minutes=1,
        now=datetime.now(UTC) - timedelta(minutes=5),
    )  # fmt: skip
    expired = client.get("/orders", headers={"Authorization": f"Bearer {expired_token}"})
    for response, status, code in (
        (wrong, 401, "bad_credentials"), (missing, 401, "unauthorised"),
        (invalid, 422, "invalid_request"), (expired, 401, "token_expired"),
    ):  # fmt: skip
        error = response.json()["error"]
        assert response.status_code == status and error["code"] == code
        assert error["status"] == status and error["message"]


def test_review_refuses_placeholder_text_and_a_mismatched_service_type(loop):
    order = loop.intake(description="测试")
    response = loop.client.post(f"/orders/{order['id']}/review", headers=loop.dispatcher)
    assert response.status_code == 422
    messages = [d["message"] for d in response.json()["error"]["details"]]
    assert any("placeholder" in m for m in messages)

    order = loop.intake(description="老人腿脚不便，每天中午需要送餐到家")
    response = loop.client.post(f"/orders/{order['id']}/review", headers=loop.dispatcher)
    assert response.status_code == 422
    [problem] = response.json()["error"]["details"]
    assert problem["field"] == "item_id" and "助餐送餐" in problem["message"]

    fixed = {"description": "老人腿脚不便，需要上门打扫卫生"}
    loop.call("PATCH", f"/orders/{order['id']}", loop.dispatcher, fixed)
    assert loop.call("POST", f"/orders/{order['id']}/review", loop.dispatcher)["state"] == (
        "reviewed"
    )


def test_dispatch_needs_a_service_agreement(loop, world):
    elder = world.elder()  # no agreement signed
    order = loop.intake(elder_id=elder)
    loop.call("POST", f"/orders/{order['id']}/review", loop.dispatcher)
    response = loop.client.post(f"/orders/{order['id']}/dispatch", headers=loop.dispatcher)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "agreement_missing"


def test_a_qualification_is_applied_for_then_approved_by_civil_affairs(loop, world):
    item = world.items["康复护理"]
    applied = loop.call("POST", f"/organisations/{loop.org}/qualifications", loop.org_admin,
                        {"item_id": item}, 201)  # fmt: skip
    assert applied["status"] == "applied"
    _, other_district = world.account("supervisor", scope_level="district",
                                      scope_code="120101000000")  # fmt: skip
    response = world.client.post(f"/qualifications/{applied['id']}/decision",
                                 json={"approve": True}, headers=other_district)  # fmt: skip
    assert response.status_code == 404
    _, civil_affairs = world.account("supervisor", scope_level="district",
                                     scope_code="120104000000")  # fmt: skip
    decided = loop.call("POST", f"/qualifications/{applied['id']}/decision", civil_affairs,
                        {"approve": True, "note": "资质齐全"})  # fmt: skip
    assert decided["status"] == "approved"


def test_an_organisation_manages_its_staff(loop, world):
    staff, _ = world.staff(loop.org)
    path = f"/staff/{staff['id']}"
    changed = loop.call("PATCH", path, loop.org_admin, {"display_name": "李师傅",
                        "skills": [world.items["上门助浴"]]})  # fmt: skip
    assert changed["display_name"] == "李师傅" and changed["skills"] == [world.items["上门助浴"]]
    assert staff["id"] in [s["id"] for s in loop.call("GET", "/staff", loop.org_admin)]
    _, other_admin = world.account("org_admin", organisation_id=world.organisation())
    assert world.client.get(path, headers=other_admin).status_code == 404
    assert world.client.delete(path, headers=loop.org_admin).status_code == 204
    login = world.client.post("/auth/token",
                              json={"username": staff["phone"], "password": PASSWORD})  # fmt: skip
    assert login.status_code == 401


def test_health_docs_and_metrics(world):
    client = world.client
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/docs").status_code == 200
    assert "/orders/{order_id}/grab" in client.get("/openapi.json").json()["paths"]
    metrics = client.get("/metrics").text
    assert 'eldercare_api_requests_total{method="GET",route="/healthz",status="200"}' in metrics
