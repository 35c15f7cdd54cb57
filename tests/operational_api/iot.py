"""Helpers for the call-centre and device tests: register a device, post its events, move the
API's clock."""

from __future__ import annotations

import contextlib
from datetime import datetime

from operational_api.deps import clock
from tests.operational_api.conftest import unique


def register(world, operator: dict, elder_id: int, kind: str) -> tuple[dict, dict]:
    """A device registered by the call centre, and the headers it authenticates with."""
    body = {"kind": kind, "serial_no": unique(kind), "elder_id": elder_id,
            "install_address": "天津市南开区长虹街道育红里3-2-101"}  # fmt: skip
    response = world.client.post("/devices", json=body, headers=operator)
    assert response.status_code == 201, response.text
    device = response.json()
    return device, {"X-Device-Id": str(device["id"]), "X-Device-Key": device["key"]}


def event(kind: str, at: datetime, **fields) -> dict:
    return {"kind": kind, "at": at.isoformat(), **fields}


@contextlib.contextmanager
def at(app, moment: datetime):
    """Run the API at `moment`."""
    app.dependency_overrides[clock] = lambda: moment
    try:
        yield
    finally:
        app.dependency_overrides.pop(clock)
