"""The operational API against the suite's real PostgreSQL: migrated once, seeded with base
data, and a `World` that makes uniquely named organisations, accounts and elders per test."""

from __future__ import annotations

import itertools
import os
import secrets
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from operational_api.auth import service as accounts
from operational_api.config import SECRET_ENV
from operational_api.db import make_engine
from operational_api.main import create_app
from operational_api.migrate import upgrade
from operational_api.organisations import service as organisations
from operational_api.seed import load_catalogue, load_regions
from warehouse.connection import connect

PASSWORD = "correct-horse-battery"
DISTRICT = "120104000000"  # 南开区
STREET_A, STREET_B = "120104001000", "120104002000"
COMMUNITY_A1, COMMUNITY_A2, COMMUNITY_B1 = "120104001001", "120104001002", "120104002001"
_serial = itertools.count(1)


def unique(prefix: str) -> str:
    return f"{prefix}-{os.getpid()}-{next(_serial)}"


@pytest.fixture(scope="session")
def api_settings(settings):
    os.environ[SECRET_ENV] = secrets.token_urlsafe(48)
    upgrade(settings)
    engine = make_engine(settings, pool_size=2)
    with engine.begin() as conn:
        load_regions(conn, landing=None)
        load_catalogue(conn, now=datetime.now(UTC))
    engine.dispose()
    return settings


@pytest.fixture(scope="session")
def app(api_settings):
    return create_app(api_settings, sweep_seconds=None, pool_size=30)


@pytest.fixture(scope="session")
def client(app):
    with TestClient(app) as test_client:
        yield test_client


class World:
    """Makes the people and places a test needs, through the service layer."""

    def __init__(self, settings, app, client):
        self.settings, self.app, self.client = settings, app, client
        self.engine = app.state.engine
        with self.engine.connect() as conn:
            rows = conn.exec_driver_sql("select name, id from ops.service_items").all()
        self.items = dict(rows)

    def now(self) -> datetime:
        return datetime.now(UTC)

    def login(self, username: str, password: str = PASSWORD) -> dict:
        response = self.client.post(
            "/auth/token", json={"username": username, "password": password}
        )
        assert response.status_code == 200, response.text
        return {"Authorization": f"Bearer {response.json()['access_token']}"}

    def account(self, role: str, **fields) -> tuple[dict, dict]:
        """A new account of `role` and its auth headers."""
        username = fields.pop("username", None) or unique(role)
        with self.engine.begin() as conn:
            user = accounts.create_user(
                conn,
                actor=None,
                now=self.now(),
                username=username,
                password=PASSWORD,
                role=role,
                display_name=username,
                **fields,
            )
        return user, self.login(username)

    def elder(
        self,
        community: str = COMMUNITY_A1,
        phone: str = "13812345678",
        exclusion_reason: str | None = None,
    ) -> int:
        """An elder in the elder database (linkage.elders, written as the pipeline, which
        owns it), counted unless an exclusion reason is given."""
        number = f"1201041940{next(_serial):06d}{secrets.randbelow(10)}X"[:18]
        with connect(self.settings, "pipeline") as conn:
            return conn.execute(
                "insert into linkage.elders (elder_id, id_number, name, sex, birth_date, phone,"
                " district_code, street_code, community_code, address, is_eligible,"
                " exclusion_reason) values (nextval('linkage.elder_id_seq'), %s, %s, 2,"
                " '1940-03-05', %s, %s, %s, %s, '天津市南开区', %s, %s) returning elder_id",
                (
                    number,
                    unique("王秀英"),
                    phone,
                    community[:6],  # golden records carry 6-digit districts
                    community[:9] + "000",
                    community,
                    exclusion_reason is None,
                    exclusion_reason,
                ),
            ).fetchone()[0]

    def organisation(
        self,
        *,
        streets=(STREET_A,),
        items=("居家保洁",),
        online=True,
        grab=False,
        rating: float | None = None,
    ) -> int:
        """An organisation serving `streets`, approved for `items`."""
        with self.engine.begin() as conn:
            org = organisations.create(
                conn,
                user=None,
                values={"name": unique("org"), "district_code": DISTRICT},
                streets=list(streets),
                now=self.now(),
            )
            changes = {"is_online": online, "grab_enabled": grab}
            if rating is not None:
                changes["rating"] = rating
            organisations.change(
                conn, user=None, organisation_id=org["id"], changes=changes, now=self.now()
            )
            for item in items:
                q = organisations.apply(
                    conn,
                    user=None,
                    organisation_id=org["id"],
                    item_id=self.items[item],
                    now=self.now(),
                )
                organisations.decide(
                    conn,
                    user=None,
                    qualification_id=q["id"],
                    approve=True,
                    note=None,
                    now=self.now(),
                )
        return org["id"]

    def staff(self, org_id: int, skills=("居家保洁",)) -> tuple[dict, dict]:
        """A staff member created by the organisation's admin over HTTP; their headers."""
        _, admin = self.account("org_admin", organisation_id=org_id)
        phone = f"139{next(_serial):08d}"
        body = {
            "phone": phone,
            "password": PASSWORD,
            "display_name": unique("staff"),
            "skills": [self.items[s] for s in skills],
        }
        response = self.client.post("/staff", json=body, headers=admin)
        assert response.status_code == 201, response.text
        return response.json(), self.login(phone)


@pytest.fixture(scope="session")
def world(api_settings, app, client) -> World:
    return World(api_settings, app, client)
