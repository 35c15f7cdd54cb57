"""抢单 under concurrency: 50 staff grab one dispatched order at once; exactly one wins."""

from __future__ import annotations

import threading

from fastapi.testclient import TestClient
from sqlalchemy import text

from operational_api.roles import Principal
from operational_api.security import hash_password, make_token
from tests.operational_api.conftest import PASSWORD, unique
from tests.operational_api.flows import Loop

GRABBERS = 50


def test_fifty_concurrent_grabs_have_exactly_one_winner(world, app):
    loop = Loop(world)
    order_id = loop.service_order_in("dispatched")
    item = world.items["居家保洁"]
    grabbers = []
    hashed = hash_password(PASSWORD)  # one argon2 hash for all 50, to keep the test quick
    with world.engine.begin() as conn:
        for _ in range(GRABBERS):
            user_id = conn.execute(
                text(
                    "insert into ops.users (username, password_hash, role, display_name,"
                    " organisation_id, created_at) values (:u, :h, 'staff', :u, :o, now())"
                    " returning id"
                ),
                {"u": unique("grabber"), "h": hashed, "o": loop.org},
            ).scalar()
            conn.execute(
                text("insert into ops.staff_skills (user_id, item_id) values (:u, :i)"),
                {"u": user_id, "i": item},
            )
            principal = Principal(user_id=user_id, role="staff", organisation_id=loop.org)
            token = make_token(claims=principal.claims(), secret=app.state.config.secret, minutes=5)
            grabbers.append((user_id, {"Authorization": f"Bearer {token}"}))

    barrier = threading.Barrier(GRABBERS)
    results: dict[int, int] = {}

    def grab(user_id: int, headers: dict) -> None:
        client = TestClient(app)  # its own client, event loop and database connection
        barrier.wait()
        response = client.post(f"/orders/{order_id}/grab", headers=headers)
        results[user_id] = response.status_code

    threads = [threading.Thread(target=grab, args=g) for g in grabbers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    winners = [user for user, status in results.items() if status == 200]
    assert len(results) == GRABBERS
    assert len(winners) == 1
    assert sorted(set(results.values())) == [200, 409]
    order = world.client.get(f"/orders/{order_id}", headers=loop.operator).json()
    assert order["state"] == "assigned" and order["staff_id"] == winners[0]
    events = world.client.get(f"/orders/{order_id}/events", headers=loop.operator).json()
    assert [e["action"] for e in events].count("grab") == 1


def test_grab_is_refused_when_the_organisation_switched_it_off(world):
    loop = Loop(world)
    order_id = loop.service_order_in("dispatched")
    loop.call("PATCH", f"/organisations/{loop.org}", loop.org_admin, {"grab_enabled": False})
    response = world.client.post(f"/orders/{order_id}/grab", headers=loop.staff_headers)
    assert response.status_code == 403
    assert "grab-order switched off" in response.json()["error"]["message"]
