"""Devices over HTTP (5.5.2): the registry (call centre), event posts (devices, with their own
key), event history (read-only, in scope) and what was refused."""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Header, Request
from fastapi.concurrency import run_in_threadpool

from operational_api.deps import Conn, Now, caller
from operational_api.devices import ingest, service
from operational_api.devices.schemas import (
    DeviceChange,
    DeviceIn,
    DeviceOut,
    DeviceWithKey,
    EventOut,
    RejectedOut,
)
from operational_api.roles import ELDER, OPERATOR, SUPERVISOR

router = APIRouter(prefix="/devices", tags=["devices"])
Readers = caller(OPERATOR, SUPERVISOR, ELDER)
DeviceId = Annotated[str | None, Header(alias="X-Device-Id")]
DeviceKey = Annotated[str | None, Header(alias="X-Device-Key")]
EVENT_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/EventIn"}}},
    }
}


async def _accept(
    request: Request, now: datetime, device_id: str | None, key: str | None, batch: bool
) -> dict:
    body = await request.body()
    return await run_in_threadpool(
        ingest.accept,
        request.app.state.ingest_engine,
        api=request.app.state.config.api,
        claimed=device_id,
        key=key,
        body=body,
        now=now,
        batch=batch,
    )


@router.post("/events", status_code=201, openapi_extra=EVENT_BODY)
async def post_event(
    request: Request, now: Now, device_id: DeviceId = None, key: DeviceKey = None
) -> dict:
    """A device posts one event (body: EventIn) with X-Device-Id and X-Device-Key; an alarm
    opens a call-centre ticket. 401/403/422 are kept in the rejected events with the reason."""
    return await _accept(request, now, device_id, key, batch=False)


@router.post("/events:batch", status_code=201)
async def post_events(
    request: Request, now: Now, device_id: DeviceId = None, key: DeviceKey = None
) -> dict:
    """A burst from one device: {"events": [EventIn, ...]}, stored all or nothing."""
    return await _accept(request, now, device_id, key, batch=True)


@router.post("", response_model=DeviceWithKey, status_code=201)
def register(body: DeviceIn, conn: Conn, now: Now, user: caller(OPERATOR)):
    """Register a device for an elder; the response carries its key, shown this once."""
    return service.register(conn, user=user, now=now, **body.model_dump())


@router.get("", response_model=list[DeviceOut])
def list_devices(conn: Conn, user: Readers, elder_id: int | None = None, limit: int = 100):
    """Devices in your scope."""
    return service.list_for(conn, user=user, elder_id=elder_id, limit=min(limit, 1000))


@router.get("/events", response_model=list[EventOut])
def event_history(
    conn: Conn,
    user: Readers,
    device_id: int | None = None,
    elder_id: int | None = None,
    kind: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 200,
):
    """Event history in your scope (read-only), newest first, by device and/or elder."""
    return service.history(
        conn,
        user=user,
        device_id=device_id,
        elder_id=elder_id,
        kind=kind,
        since=since,
        until=until,
        limit=min(limit, 5000),
    )


@router.get("/rejected", response_model=list[RejectedOut])
def rejected_events(
    conn: Conn, user: caller(OPERATOR), device_id: int | None = None, limit: int = 100
):
    """Refused posts with their reason and body, newest first (call centre)."""
    return service.rejected(conn, device_id=device_id, limit=min(limit, 1000))


@router.get("/{device_id}", response_model=DeviceOut)
def get_device(device_id: int, conn: Conn, user: Readers):
    """One device in your scope."""
    return service.get(conn, user=user, device_id=device_id)


@router.patch("/{device_id}", response_model=DeviceOut)
def change_device(device_id: int, body: DeviceChange, conn: Conn, now: Now, user: caller(OPERATOR)):
    """Change a device's status or install address."""
    changes = body.model_dump(exclude_none=True)
    return service.change(conn, user=user, device_id=device_id, changes=changes, now=now)
