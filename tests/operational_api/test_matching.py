"""A.2.3 auto-matching: the designated organisation first; else qualified for the item, serves
the elder's street, online; then lowest load, then highest rating. Reasons are stored."""

from __future__ import annotations

import itertools

import pytest

from tests.operational_api.flows import Loop

_streets = itertools.count(40)


@pytest.fixture(scope="module")
def loop(world) -> Loop:
    return Loop(world)


@pytest.fixture
def street():
    """A street of its own, so organisations of other tests do not compete."""
    code = f"120104{next(_streets):03d}"
    return code + "000", code + "001"


def take_in(loop: Loop, elder_id: int, **extra) -> dict:
    body = {
        "elder_id": elder_id,
        "kind": "service",
        "channel": "platform",
        "item_id": loop.world.items["居家保洁"],
        "description": "请上门打扫卫生，清洁厨房",
    }
    return loop.call("POST", "/orders", loop.operator, {**body, **extra}, 201)


def load_up(loop: Loop, org: int, community: str) -> None:
    """Give an organisation one order in hand (dispatched)."""
    elder = loop.world.elder(community)
    loop.call("POST", "/agreements", loop.operator, {"elder_id": elder, "organisation_id": org},
              201)  # fmt: skip
    order = take_in(loop, elder, organisation_id=org)
    loop.call("POST", f"/orders/{order['id']}/review", loop.dispatcher)
    loop.call("POST", f"/orders/{order['id']}/dispatch", loop.dispatcher)


def test_rules_exclude_unqualified_other_streets_and_offline(loop, world, street):
    street_code, community = street
    world.organisation(streets=(street_code,), items=("上门助浴",))  # another item only
    elsewhere = world.organisation(streets=("120104099000",))
    offline = world.organisation(streets=(street_code,), online=False)
    good = world.organisation(streets=(street_code,))
    order = take_in(loop, world.elder(community))
    match = order["match"]
    assert order["organisation_id"] == good and match["rule"] == "auto"
    assert match["excluded"] == [{"id": offline, "why": "offline"}]
    assert [r["id"] for r in match["ranked"]] == [good]
    assert elsewhere not in [r["id"] for r in match["ranked"]]
    world.organisation(streets=("120104098000",))  # one more approved on another street
    elsewhere_now = take_in(loop, world.elder(community))["match"]["elsewhere"]
    assert elsewhere_now == match["elsewhere"] + 1
    world.organisation(streets=(street_code,))  # and one on this street: not elsewhere
    assert take_in(loop, world.elder(community))["match"]["elsewhere"] == elsewhere_now


def test_lowest_load_wins_before_rating(loop, world, street):
    street_code, community = street
    busy_but_loved = world.organisation(streets=(street_code,), rating=5.0)
    idle = world.organisation(streets=(street_code,), rating=3.0)
    load_up(loop, busy_but_loved, community)
    order = take_in(loop, world.elder(community))
    assert order["organisation_id"] == idle
    ranked = order["match"]["ranked"]
    assert [r["id"] for r in ranked] == [idle, busy_but_loved]
    assert ranked[0]["load"] == 0 and ranked[1]["load"] == 1


def test_equal_load_goes_to_the_higher_rating(loop, world, street):
    street_code, community = street
    world.organisation(streets=(street_code,), rating=3.5)
    better = world.organisation(streets=(street_code,), rating=4.8)
    order = take_in(loop, world.elder(community))
    assert order["organisation_id"] == better
    assert "rating 4.80" in order["match"]["why"]


def test_designated_organisation_comes_first(loop, world, street):
    street_code, community = street
    world.organisation(streets=(street_code,), rating=5.0)
    designated = world.organisation(streets=("120104098000",), rating=2.0)
    elder = world.elder(community)
    loop.call("PUT", f"/elders/{elder}/designated-organisation", loop.operator,
              {"organisation_id": designated})  # fmt: skip
    order = take_in(loop, elder)
    assert order["organisation_id"] == designated
    assert order["match"]["rule"] == "designated"


def test_designated_but_unqualified_falls_back_to_matching(loop, world, street):
    street_code, community = street
    qualified = world.organisation(streets=(street_code,))
    designated = world.organisation(streets=(street_code,), items=("聊天陪伴",))
    elder = world.elder(community)
    loop.call("PUT", f"/elders/{elder}/designated-organisation", loop.operator,
              {"organisation_id": designated})  # fmt: skip
    order = take_in(loop, elder)
    assert order["organisation_id"] == qualified
    assert order["match"]["rule"] == "auto"
    assert f"organisation {designated} is not approved" in order["match"]["notes"][0]


def test_no_candidate_leaves_the_order_for_the_dispatcher(loop, world, street):
    _, community = street
    order = take_in(loop, world.elder(community))
    assert order["organisation_id"] is None and order["match"]["chosen"] is None
    response = loop.client.post(f"/orders/{order['id']}/review", headers=loop.dispatcher)
    assert response.status_code == 422
    fields = [d["field"] for d in response.json()["error"]["details"]]
    assert "organisation_id" in fields
