"""Role × scope matrix: each caller's reads and writes of one elder and one order, every cell
asserted; and ID numbers and phones masked for the roles that do not need them."""

from __future__ import annotations

import pytest

from tests.operational_api.conftest import (
    COMMUNITY_A1,
    COMMUNITY_A2,
    DISTRICT,
    STREET_A,
    STREET_B,
)
from tests.operational_api.flows import Loop

ACTORS = (
    "operator", "dispatcher", "org_admin_a", "org_admin_b", "staff_assigned", "staff_other",
    "supervisor_district", "supervisor_street_a", "supervisor_street_b",
    "supervisor_community_a1", "supervisor_community_a2", "elder_self", "elder_other",
    "sysadmin", "secadmin", "auditor",
)  # fmt: skip
SEES = {  # can read the order and the elder (street A, community A1, organisation A)
    "operator", "dispatcher", "org_admin_a", "staff_assigned", "supervisor_district",
    "supervisor_street_a", "supervisor_community_a1", "elder_self",
}  # fmt: skip
NO_ACCESS = {"sysadmin", "secadmin", "auditor"}  # 403: no elder or order data at all
CAN_SUPERVISE = {"dispatcher", "supervisor_district", "supervisor_street_a",
                 "supervisor_community_a1"}  # fmt: skip
OUT_OF_SCOPE_SUPERVISORS = {"supervisor_street_b", "supervisor_community_a2"}
CAN_TAKE_IN = {"operator", "elder_self"}


@pytest.fixture(scope="module")
def matrix(world):
    loop = Loop(world)
    other_org = world.organisation(streets=(STREET_B,))
    order_id = loop.service_order_in("assigned")
    order = loop.call("GET", f"/orders/{order_id}", loop.operator)
    elder_id = order["elder_id"]
    _, staff_other = world.staff(loop.org)
    other_elder = world.elder(COMMUNITY_A1)
    sup = lambda level, code: world.account("supervisor", scope_level=level, scope_code=code)[1]  # noqa: E731
    headers = {
        "operator": loop.operator,
        "dispatcher": loop.dispatcher,
        "org_admin_a": loop.org_admin,
        "org_admin_b": world.account("org_admin", organisation_id=other_org)[1],
        "staff_assigned": loop.staff_headers,
        "staff_other": staff_other,
        "supervisor_district": sup("district", DISTRICT),
        "supervisor_street_a": sup("street", STREET_A),
        "supervisor_street_b": sup("street", STREET_B),
        "supervisor_community_a1": sup("community", COMMUNITY_A1),
        "supervisor_community_a2": sup("community", COMMUNITY_A2),
        "elder_self": world.account("elder", elder_id=elder_id)[1],
        "elder_other": world.account("elder", elder_id=other_elder)[1],
        "sysadmin": world.account("sysadmin")[1],
        "secadmin": world.account("secadmin")[1],
        "auditor": world.account("auditor")[1],
    }
    return {"client": world.client, "headers": headers, "order": order_id, "elder": elder_id}


def expected_read(actor: str) -> int:
    return 200 if actor in SEES else 403 if actor in NO_ACCESS else 404


@pytest.mark.parametrize("actor", ACTORS)
def test_read_the_order(matrix, actor):
    response = matrix["client"].get(f"/orders/{matrix['order']}", headers=matrix["headers"][actor])
    assert response.status_code == expected_read(actor), response.text


@pytest.mark.parametrize("actor", ACTORS)
def test_read_the_elder(matrix, actor):
    response = matrix["client"].get(f"/elders/{matrix['elder']}", headers=matrix["headers"][actor])
    assert response.status_code == expected_read(actor), response.text


@pytest.mark.parametrize("actor", ACTORS)
def test_list_orders_shows_the_order_only_in_scope(matrix, actor):
    response = matrix["client"].get("/orders?limit=500", headers=matrix["headers"][actor])
    if actor in NO_ACCESS:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    ids = {o["id"] for o in response.json()}
    assert (matrix["order"] in ids) == (actor in SEES)


@pytest.mark.parametrize("actor", ACTORS)
def test_open_supervision_on_the_order(matrix, actor):
    body = {"order_id": matrix["order"], "reason": "抽查"}
    response = matrix["client"].post("/supervisions", json=body, headers=matrix["headers"][actor])
    expected = 201 if actor in CAN_SUPERVISE else 404 if actor in OUT_OF_SCOPE_SUPERVISORS else 403
    assert response.status_code == expected, response.text


@pytest.mark.parametrize("actor", ACTORS)
def test_take_in_a_request_for_the_elder(matrix, actor):
    body = {"elder_id": matrix["elder"], "kind": "consultation", "channel": "mobile",
            "description": "咨询助餐服务"}  # fmt: skip
    response = matrix["client"].post("/orders", json=body, headers=matrix["headers"][actor])
    expected = 201 if actor in CAN_TAKE_IN else 404 if actor == "elder_other" else 403
    assert response.status_code == expected, response.text


CLEAR = {  # actor -> (ID number in clear, phone in clear)
    "operator": (True, True), "dispatcher": (False, False), "org_admin_a": (False, True),
    "staff_assigned": (False, True), "supervisor_street_a": (False, True),
    "elder_self": (True, True),
}  # fmt: skip


@pytest.mark.parametrize("actor", sorted(CLEAR))
def test_id_number_and_phone_are_masked_unless_the_role_needs_them(matrix, actor):
    elder = matrix["client"].get(f"/elders/{matrix['elder']}", headers=matrix["headers"][actor])
    body = elder.json()
    id_clear, phone_clear = CLEAR[actor]
    assert ("*" not in body["id_number"]) == id_clear
    assert ("*" not in body["phone"]) == phone_clear
    if not id_clear:
        assert len(body["id_number"]) == 18 and body["id_number"][:4] == "1201"
