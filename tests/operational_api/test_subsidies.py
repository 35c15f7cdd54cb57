"""5.3.2 subsidy parameters over HTTP: the seeded standards agree with what the sample feeds pay;
a change has no effect until approved, then applies from its effective month and closes the
row it replaces; scope and roles of who proposes and who approves."""

from __future__ import annotations

import secrets

import pytest

from ingestion.generator import subsidies as paid
from ingestion.generator.traits import ABILITY, HARDSHIP

FIRST_MONTH = "2024-10-01"


def due(world, headers, month: str, age: int, **identity) -> dict:
    query = "&".join(f"{k}={v}" for k, v in identity.items() if v is not None)
    response = world.client.get(f"/subsidies/due?month={month}&age={age}&{query}", headers=headers)
    assert response.status_code == 200, response.text
    return {row["subsidy_type"]: row["amount_fen"] for row in response.json()}


def generator_pays(age: int, hardship: int, ability: int) -> dict:
    """What the sample generator pays an elder at home (ingestion/generator/subsidies.py)."""
    out = {}
    tier = [fen for low, fen in paid.OLD_AGE_TIERS if age >= low]
    if tier:
        out["高龄津贴"] = tier[-1]
    if ability >= 1 and hardship >= 1:
        out["居家养老服务补贴"] = paid.HOME_CARE_BY_ABILITY[ability]
    if hardship >= 1:
        out["经济困难老年人生活补贴"] = paid.LIVING_BY_HARDSHIP[hardship]
    if ability >= 3:
        out["失能老年人护理补贴"] = paid.NURSING_BY_ABILITY[ability]
    return {k: v for k, v in out.items() if v}


@pytest.fixture(scope="module")
def reader(world):
    return world.account("operator")[1]


@pytest.mark.parametrize("age", [65, 80, 89, 90, 99, 100])
def test_the_seeded_standards_agree_with_what_the_feeds_pay(world, reader, age):
    for hardship in range(len(HARDSHIP)):
        for ability in range(len(ABILITY)):
            identity = {"hardship_type": HARDSHIP[hardship], "ability_level": ABILITY[ability],
                        "residence": "home"}  # fmt: skip
            got = {k: v for k, v in due(world, reader, FIRST_MONTH, age, **identity).items() if v}
            assert got == generator_pays(age, hardship, ability), identity


def test_home_care_follows_the_published_2017_figures(world, reader):
    rows = world.client.get("/subsidies/parameters?subsidy_type=居家养老服务补贴&on=2017-04-01",
                            headers=reader).json()  # fmt: skip
    published = {r["ability_level"]: r["amount_fen"] for r in rows if not r["is_assumed"]}
    assert published == {"轻度失能": 20000, "中度失能": 40000, "重度失能": 60000}
    assert due(world, reader, "2017-03-15", 70, hardship_type="低保", ability_level="轻度失能",
               residence="home") == {}  # fmt: skip


@pytest.fixture(scope="module")
def civil_affairs(world):
    city = lambda: world.account("supervisor", scope_level="city", scope_code="120000000000")[1]  # noqa: E731
    return {"proposer": city(), "approver": city()}


def propose(world, headers, amount: int, month: str) -> dict:
    body = {"subsidy_type": "经济困难老年人生活补贴", "hardship_type": "特困",
            "residence": "institution", "amount_fen": amount, "effective_from": month,
            "source_note": "test: 特困 elders in institutions"}  # fmt: skip
    response = world.client.post("/subsidies/parameters", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def test_a_change_has_no_effect_until_approved_then_applies_from_its_month(
    world, reader, civil_affairs
):
    year = 2100 + secrets.randbelow(800)  # months no other test touches
    before, start, later = f"{year}-05-01", f"{year}-06-01", f"{year + 1}-01-01"
    who = {"hardship_type": "特困", "residence": "institution"}
    base = due(world, reader, start, 70, **who)["经济困难老年人生活补贴"]
    change = propose(world, civil_affairs["proposer"], base + 5000, start)
    assert change["status"] == "pending"
    assert due(world, reader, start, 70, **who)["经济困难老年人生活补贴"] == base
    own = world.client.post(f"/approvals/{change['approval_id']}/approve", json={},
                            headers=civil_affairs["proposer"])  # fmt: skip
    assert own.status_code == 403  # four eyes: the proposer may not approve
    approved = world.client.post(f"/approvals/{change['approval_id']}/approve", json={},
                                 headers=civil_affairs["approver"])  # fmt: skip
    assert approved.status_code == 200 and approved.json()["state"] == "approved"
    assert [s["action"] for s in approved.json()["steps"]] == ["submit", "skip", "approve"]
    assert due(world, reader, before, 70, **who)["经济困难老年人生活补贴"] == base
    assert due(world, reader, start, 70, **who)["经济困难老年人生活补贴"] == base + 5000
    assert due(world, reader, start, 70, hardship_type="特困", residence="home")[
        "经济困难老年人生活补贴"] == base  # fmt: skip
    second = propose(world, civil_affairs["proposer"], base + 9000, later)
    world.client.post(f"/approvals/{second['approval_id']}/approve", json={},
                      headers=civil_affairs["approver"])  # fmt: skip
    first = world.client.get(f"/subsidies/parameters/{change['id']}", headers=reader).json()
    assert first["status"] == "in_force" and first["effective_to"] == f"{year}-12-31"
    assert due(world, reader, f"{year}-12-01", 70, **who)["经济困难老年人生活补贴"] == base + 5000
    assert due(world, reader, later, 70, **who)["经济困难老年人生活补贴"] == base + 9000


def test_a_returned_change_never_applies(world, reader, civil_affairs):
    month = f"{2100 + secrets.randbelow(800)}-03-01"
    who = {"hardship_type": "特困", "residence": "institution"}
    base = due(world, reader, month, 70, **who)["经济困难老年人生活补贴"]
    change = propose(world, civil_affairs["proposer"], base + 1, month)
    returned = world.client.post(f"/approvals/{change['approval_id']}/return",
                                 json={"reason": "缺少财政测算依据"},
                                 headers=civil_affairs["approver"])  # fmt: skip
    assert returned.json()["state"] == "returned"
    assert due(world, reader, month, 70, **who)["经济困难老年人生活补贴"] == base


@pytest.mark.parametrize(
    ("role", "fields"),
    [("operator", {}), ("community_staff", {"scope_level": "community",
                                            "scope_code": "120104001001"})],
)  # fmt: skip
def test_only_civil_affairs_proposes_changes(world, role, fields):
    _, headers = world.account(role, **fields)
    body = {"subsidy_type": "高龄津贴", "age_min": 80, "age_max": 89, "amount_fen": 1,
            "effective_from": "2199-01-01", "source_note": "不应生效"}  # fmt: skip
    response = world.client.post("/subsidies/parameters", json=body, headers=headers)
    assert response.status_code == 403


def test_an_effective_date_must_start_a_month(world, civil_affairs):
    body = {"subsidy_type": "高龄津贴", "age_min": 80, "amount_fen": 1,
            "effective_from": "2199-01-15", "source_note": "月中生效"}  # fmt: skip
    response = world.client.post("/subsidies/parameters", json=body,
                                 headers=civil_affairs["proposer"])  # fmt: skip
    assert response.status_code == 422 and "first day" in response.text
