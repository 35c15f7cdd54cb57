"""5.4.2 approvals over HTTP: a chain walked community → street → district, a matter returned
with a reason and resubmitted, steps below the submitter skipped, every step audited, chains
configurable, and each party seeing only the matters of its area."""

from __future__ import annotations

import pytest

from tests.operational_api.conftest import COMMUNITY_A1, COMMUNITY_A2, DISTRICT, STREET_A, STREET_B


@pytest.fixture(scope="module")
def people(world):
    def person(role: str, level: str, code: str) -> dict:
        return world.account(role, scope_level=level, scope_code=code)[1]

    return {
        "staff_a1": person("community_staff", "community", COMMUNITY_A1),
        "staff_a2": person("community_staff", "community", COMMUNITY_A2),
        "street_staff_a": person("street_staff", "street", STREET_A),
        "community_a1": person("supervisor", "community", COMMUNITY_A1),
        "street_a": person("supervisor", "street", STREET_A),
        "street_b": person("supervisor", "street", STREET_B),
        "district": person("supervisor", "district", DISTRICT),
    }


def call(world, method, path, headers, body=None, status=200):
    response = world.client.request(method, path, json=body, headers=headers)
    assert response.status_code == status, f"{method} {path}: {response.text}"
    return response.json()


def submit(world, headers, matter="subsidy_application", elder=None) -> dict:
    body = {"matter_type": matter, "subject": "居家养老服务补贴申请", "elder_id": elder}
    return call(world, "POST", "/approvals", headers, body, 201)


def test_a_chain_is_walked_community_street_district(world, people):
    elder = world.elder(COMMUNITY_A1)
    made = submit(world, people["staff_a1"], elder=elder)
    assert made["chain"] == ["community", "street", "district"]
    assert (made["state"], made["awaiting"]) == ("pending", "community")
    early = world.client.post(f"/approvals/{made['id']}/approve", json={},
                              headers=people["street_a"])  # fmt: skip
    assert early.status_code == 403 and "community-level" in early.json()["error"]["message"]
    path = f"/approvals/{made['id']}/approve"
    mine = lambda who: {a["id"] for a in call(world, "GET", "/approvals?awaiting_me=true", who)}  # noqa: E731
    assert made["id"] in mine(people["community_a1"]) and made["id"] not in mine(people["street_a"])
    assert call(world, "POST", path, people["community_a1"], {})["awaiting"] == "street"
    assert made["id"] in mine(people["street_a"]) and made["id"] not in mine(people["community_a1"])
    assert (
        call(world, "POST", path, people["street_a"], {"note": "材料齐全"})["awaiting"]
        == "district"
    )
    done = call(world, "POST", path, people["district"], {})
    assert done["state"] == "approved" and done["awaiting"] is None
    assert [(s["action"], s["scope_level"]) for s in done["steps"]] == [
        ("submit", None), ("approve", "community"), ("approve", "street"),
        ("approve", "district")]  # fmt: skip
    over = world.client.post(path, json={}, headers=people["district"])
    assert over.status_code == 409 and "'approved'" in over.json()["error"]["message"]
    _, auditor = world.account("auditor")
    log = call(world, "GET", f"/audit?entity=approval&entity_id={made['id']}", auditor)
    assert [e["action"] for e in reversed(log)] == ["approval.submit"] + ["approval.approve"] * 3


def test_a_matter_is_returned_with_a_reason_and_resubmitted(world, people):
    made = submit(world, people["staff_a1"], matter="preferential_card")
    assert made["chain"] == ["community", "street"]
    call(world, "POST", f"/approvals/{made['id']}/approve", people["community_a1"], {})
    back = call(world, "POST", f"/approvals/{made['id']}/return", people["street_a"],
                {"reason": "照片不符合要求"})  # fmt: skip
    assert (back["state"], back["return_reason"]) == ("returned", "照片不符合要求")
    late = world.client.post(f"/approvals/{made['id']}/approve", json={},
                             headers=people["street_a"])  # fmt: skip
    assert late.status_code == 409 and "'returned'" in late.json()["error"]["message"]
    stranger = world.client.post(f"/approvals/{made['id']}/resubmit", json={},
                                 headers=people["street_a"])  # fmt: skip
    assert stranger.status_code == 403
    again = call(world, "POST", f"/approvals/{made['id']}/resubmit", people["staff_a1"],
                 {"note": "已补交照片"})  # fmt: skip
    assert (again["state"], again["awaiting"], again["return_reason"]) == (
        "pending", "community", None)  # fmt: skip
    assert [s["action"] for s in again["steps"]] == ["submit", "approve", "return", "resubmit"]


def test_a_street_submission_skips_the_community_step(world, people):
    made = submit(world, people["street_staff_a"])
    assert made["awaiting"] == "street" and made["community_code"] is None
    assert [(s["action"], s["scope_level"]) for s in made["steps"]] == [
        ("submit", None), ("skip", "community")]  # fmt: skip


def test_a_chain_is_configurable_for_new_submissions(world, people):
    _, sysadmin = world.account("sysadmin")
    path = "/approvals/chains/organisation_qualification"
    before = call(world, "GET", path, sysadmin)["levels"]
    bad = world.client.put(path, json={"levels": ["district", "street"]}, headers=sysadmin)
    assert bad.status_code == 422
    refused = world.client.put(path, json={"levels": ["city"]}, headers=people["district"])
    assert refused.status_code == 403
    call(world, "PUT", path, sysadmin, {"levels": ["community", "district", "city"]})
    try:
        made = submit(world, people["staff_a1"], matter="organisation_qualification")
        assert made["chain"] == ["community", "district", "city"]
    finally:
        call(world, "PUT", path, sysadmin, {"levels": before})
    assert call(world, "GET", f"/approvals/{made['id']}", people["staff_a1"])["chain"] == [
        "community", "district", "city"]  # fmt: skip


SEES = {"staff_a1", "community_a1", "street_a", "district"}


@pytest.mark.parametrize(
    "actor", ["staff_a1", "staff_a2", "community_a1", "street_a", "street_b", "district"]
)
def test_each_party_sees_only_matters_of_its_area(world, people, actor):
    made = submit(world, people["staff_a1"], matter="preferential_card")
    one = world.client.get(f"/approvals/{made['id']}", headers=people[actor])
    assert one.status_code == (200 if actor in SEES else 404)
    listed = call(world, "GET", "/approvals?limit=500", people[actor])
    assert (made["id"] in {a["id"] for a in listed}) == (actor in SEES)
    if actor not in SEES:
        decide = world.client.post(f"/approvals/{made['id']}/return", json={"reason": "越权"},
                                   headers=people[actor])  # fmt: skip
        assert decide.status_code in (403, 404)
        assert call(world, "GET", f"/approvals/{made['id']}", people["staff_a1"])["state"] == (
            "pending")  # fmt: skip


@pytest.mark.parametrize("role", ["operator", "dispatcher", "elder", "org_admin"])
def test_other_roles_neither_submit_nor_read(world, people, role):
    fields = {"elder": {"elder_id": world.elder()}, "org_admin": {
        "organisation_id": world.organisation()}}.get(role, {})  # fmt: skip
    _, headers = world.account(role, **fields)
    assert world.client.get("/approvals", headers=headers).status_code == 403
    body = {"matter_type": "preferential_card", "subject": "优待证"}
    assert world.client.post("/approvals", json=body, headers=headers).status_code == 403


def test_a_submission_names_an_elder_of_the_submitters_area_only(world, people):
    elsewhere = world.elder(COMMUNITY_A2)
    body = {"matter_type": "subsidy_application", "subject": "补贴申请", "elder_id": elsewhere}
    response = world.client.post("/approvals", json=body, headers=people["staff_a1"])
    assert response.status_code == 404
