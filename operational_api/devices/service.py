"""5.5.2 the device registry and event history: each device belongs to an elder, has an install
address and a status, and its own key (shown once at registration, stored only as a hash)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from sqlalchemy import Connection, select
from sqlalchemy.exc import IntegrityError

from operational_api.audit.service import record
from operational_api.devices.models import device_events, device_events_rejected, devices
from operational_api.elders.models import elders
from operational_api.errors import conflict
from operational_api.lookup import get_or_404
from operational_api.roles import ELDER, OPERATOR, SUPERVISOR, Principal
from operational_api.scope import area_scope, elder_scope

READERS = (OPERATOR, SUPERVISOR, ELDER)  # event history is shared read-only with these
PUBLIC = [c for c in devices.c if c.name != "key_hash"]


def key_hash(key: str) -> str:
    """SHA-256 of a device key. The key is 32 random bytes, so unlike a password it cannot be
    guessed and needs no slow hash; a fast one keeps each authenticated event cheap."""
    return hashlib.sha256(key.encode()).hexdigest()


def register(
    conn: Connection,
    *,
    user: Principal | None,
    now: datetime,
    kind: str,
    serial_no: str,
    elder_id: int,
    install_address: str,
    camera_ref: str | None = None,
) -> dict:
    """Register a device for an elder in the caller's scope; its key is returned only here."""
    scope = elder_scope(user, elders) if user else elders.c.elder_id.is_not(None)
    area = select(elders.c.district_code, elders.c.street_code, elders.c.community_code)
    area = get_or_404(conn, area, elders.c.elder_id == elder_id, scope, what=f"elder {elder_id}")
    key = secrets.token_urlsafe(32)
    values = {
        "kind": kind,
        "serial_no": serial_no,
        "elder_id": elder_id,
        **area,
        "install_address": install_address,
        "camera_ref": camera_ref,
        "status": "active",
        "registered_at": now,
        "registered_by": user.user_id if user else None,
        "updated_at": now,
    }
    try:
        with conn.begin_nested():
            new_id = conn.execute(
                devices.insert().values(**values, key_hash=key_hash(key)).returning(devices.c.id)
            ).scalar()
    except IntegrityError:
        raise conflict(f"a device with serial number {serial_no} is registered already") from None
    record(
        conn,
        actor=user,
        action="device.register",
        entity="device",
        entity_id=new_id,
        now=now,
        after=values,
    )
    return {**values, "id": new_id, "key": key}


def get(conn: Connection, *, user: Principal, device_id: int) -> dict:
    scope = area_scope(user, devices, readers=READERS)
    return get_or_404(
        conn, select(*PUBLIC), devices.c.id == device_id, scope, what=f"device {device_id}"
    )


def change(
    conn: Connection, *, user: Principal, device_id: int, changes: dict, now: datetime
) -> dict:
    """Change a device's status (active, inactive, retired) or install address."""
    current = get(conn, user=user, device_id=device_id)
    changes["updated_at"] = now
    conn.execute(devices.update().where(devices.c.id == device_id).values(**changes))
    record(
        conn,
        actor=user,
        action="device.change",
        entity="device",
        entity_id=device_id,
        now=now,
        before={k: current[k] for k in changes},
        after=changes,
    )
    return {**current, **changes}


def list_for(
    conn: Connection, *, user: Principal, elder_id: int | None = None, limit: int = 100
) -> list[dict]:
    query = select(*PUBLIC).where(area_scope(user, devices, readers=READERS))
    if elder_id is not None:
        query = query.where(devices.c.elder_id == elder_id)
    return [dict(r) for r in conn.execute(query.order_by(devices.c.id).limit(limit)).mappings()]


def history(
    conn: Connection,
    *,
    user: Principal,
    device_id: int | None = None,
    elder_id: int | None = None,
    kind: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 200,
) -> list[dict]:
    """Events in the caller's scope, newest first, by device and/or elder, kind and time."""
    query = select(device_events).where(area_scope(user, device_events, readers=READERS))
    for column, value in (
        (device_events.c.device_id, device_id),
        (device_events.c.elder_id, elder_id),
        (device_events.c.kind, kind),
    ):
        if value is not None:
            query = query.where(column == value)
    if since is not None:
        query = query.where(device_events.c.occurred_at >= since)
    if until is not None:
        query = query.where(device_events.c.occurred_at < until)
    query = query.order_by(device_events.c.occurred_at.desc(), device_events.c.id.desc())
    return [dict(r) for r in conn.execute(query.limit(limit)).mappings()]


def rejected(conn: Connection, *, device_id: int | None = None, limit: int = 100) -> list[dict]:
    """Refused posts, newest first (the call centre's view of faulty or forged devices)."""
    query = select(device_events_rejected).order_by(device_events_rejected.c.id.desc())
    if device_id is not None:
        query = query.where(device_events_rejected.c.device_id == device_id)
    return [dict(r) for r in conn.execute(query.limit(limit)).mappings()]
