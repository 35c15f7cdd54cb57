"""Device events in: authenticate by the device's own key, validate, store, raise alarms.

Kept lean for bursts: one indexed read of the device, one insert (a batch is one multi-row
insert), one commit. Telemetry is not written to the audit log (that is for people's writes
and transitions); it lands in the append-only `ops.device_events`. An alarm opens a
call-centre ticket, and that write is audited. Anything
refused is kept in `ops.device_events_rejected` with the reason, in its own transaction.
"""

from __future__ import annotations

import hmac
from datetime import datetime, timedelta

from pydantic import TypeAdapter, ValidationError
from sqlalchemy import Connection, Engine, and_, func, select, text

from operational_api.calls import service as calls
from operational_api.calls.models import call_tickets
from operational_api.devices import fastpath
from operational_api.devices.models import device_events, device_events_rejected, devices
from operational_api.devices.schemas import Batch, EventIn
from operational_api.devices.service import key_hash
from operational_api.errors import AppError
from warehouse.settings import Api

ALARMS = {"fall", "sos", "smoke", "gas", "one_key", "no_activity"}
SENDS = {  # device kind -> the event kinds it may send
    "watch": {"location", "heartbeat", "sos", "fall", "no_activity"},
    "fall_detector": {"fall", "heartbeat", "no_activity"},
    "smoke_sensor": {"smoke", "heartbeat"},
    "gas_sensor": {"gas", "heartbeat"},
    "door_sensor": {"door_open", "heartbeat", "no_activity"},
    "camera": {"camera_ref", "heartbeat"},
    "one_key_terminal": {"one_key", "heartbeat"},
}
DEVICE_KINDS = {  # event kind -> the device kinds that send it
    event: {device for device, sends in SENDS.items() if event in sends}
    for event in set().union(*SENDS.values())
}
WATCHED_FOR_INACTIVITY = ("watch", "fall_detector", "door_sensor")
MAX_CLOCK_SKEW = timedelta(minutes=5)
INACTIVITY_LOCK = 7_202_307  # advisory-lock key of the no-activity sweep
KEPT_BODY_CHARS = 65_536
ONE, MANY = TypeAdapter(EventIn), TypeAdapter(Batch)
DEVICE = select(
    devices.c.id,
    devices.c.kind,
    devices.c.elder_id,
    devices.c.district_code,
    devices.c.street_code,
    devices.c.community_code,
    devices.c.install_address,
    devices.c.status,
    devices.c.key_hash,
)


class Refused(Exception):
    def __init__(self, status: int, code: str, reason: str, device_id: int | None = None):
        super().__init__(reason)
        self.status, self.code, self.reason, self.device_id = status, code, reason, device_id


def _authenticate(conn: Connection, claimed: str | None, key: str | None) -> dict:
    if not claimed or not key:
        raise Refused(401, "unauthorised", "missing X-Device-Id or X-Device-Key header")
    wrong = Refused(401, "unauthorised", "unknown device or wrong device key")
    if not claimed.isdigit() or len(claimed) > 9:
        raise wrong
    device = conn.execute(DEVICE.where(devices.c.id == int(claimed))).mappings().first()
    if device is None or not hmac.compare_digest(device["key_hash"], key_hash(key)):
        raise wrong
    if device["status"] != "active":
        raise Refused(
            403,
            "forbidden",
            f"device {claimed} is {device['status']}: it may not "
            "post events until the call centre makes it active",
            device["id"],
        )
    return dict(device)


def _reason(exc: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(p) for p in e['loc']) or 'body'}: {e['msg']}" for e in exc.errors()
    )


def _validate(body: bytes, device: dict, now: datetime, batch: bool, api: Api) -> list[EventIn]:
    try:
        events = MANY.validate_json(body).events if batch else [ONE.validate_json(body)]
    except ValidationError as exc:
        raise Refused(422, "invalid_event", _reason(exc), device["id"]) from None
    if len(events) > api.device_batch_max:
        raise Refused(
            422,
            "invalid_event",
            f"{len(events)} events in one batch; at most {api.device_batch_max}",
            device["id"],
        )
    for i, event in enumerate(events):
        where = f"events.{i}: " if batch else ""
        if event.kind not in SENDS[device["kind"]]:
            allowed = ", ".join(sorted(SENDS[device["kind"]]))
            raise Refused(
                422,
                "invalid_event",
                f"{where}a {device['kind']} does not send "
                f"{event.kind} events (it sends: {allowed})",
                device["id"],
            )
        if event.at > now + MAX_CLOCK_SKEW:
            raise Refused(
                422,
                "invalid_event",
                f"{where}at {event.at.isoformat()} is in the future: check the device's clock",
                device["id"],
            )
    return events


def _fast_candidate(body, claimed, key, now, batch, api) -> list[EventIn] | None:
    """The events, when the post may take the fast path: credentials present, well formed,
    no alarm, not from the future, within the batch limit."""
    if not claimed or not key or not claimed.isdigit() or len(claimed) > 9:
        return None
    try:
        events = MANY.validate_json(body).events if batch else [ONE.validate_json(body)]
    except ValidationError:
        return None
    if len(events) > api.device_batch_max or any(
        is_alarm(e, api) or e.at > now + MAX_CLOCK_SKEW for e in events
    ):
        return None
    return events


def is_alarm(event: EventIn, api: Api) -> bool:
    if event.kind == "no_activity":
        return event.hours >= api.no_activity_hours
    return event.kind in ALARMS


def _row(device: dict, event: EventIn, now: datetime, api: Api) -> dict:
    return {
        "device_id": device["id"],
        "elder_id": device["elder_id"],
        "district_code": device["district_code"],
        "street_code": device["street_code"],
        "community_code": device["community_code"],
        "kind": event.kind,
        "occurred_at": event.at,
        "received_at": now,
        "latitude": event.latitude,
        "longitude": event.longitude,
        "hours": event.hours,
        "battery": event.battery,
        "camera_ref": event.camera_ref,
        "is_alarm": is_alarm(event, api),
    }


def raise_alarm(conn: Connection, *, device: dict, kind: str, now: datetime, **details) -> int:
    """A ticket for the alarm, or the one already open for this device and kind."""
    open_one = select(call_tickets.c.id).where(
        call_tickets.c.device_id == device["id"],
        call_tickets.c.alarm_kind == kind,
        call_tickets.c.state.in_(("open", "escalated")),
    )
    existing = conn.execute(open_one.limit(1)).scalar()
    if existing is not None:
        return existing
    area = {k: device[k] for k in ("district_code", "street_code", "community_code")}
    ticket = calls.open_ticket(
        conn,
        kind="one_key" if kind == "one_key" else "alarm",
        now=now,
        elder_id=device["elder_id"],
        area=area,
        device_id=device["id"],
        alarm_kind=kind,
        location=device["install_address"],
        **details,
    )
    return ticket["id"]


def store(conn: Connection, device: dict, events: list[EventIn], now: datetime, api: Api) -> dict:
    """Insert the events (alarms one by one, to link their tickets); the ids of new tickets."""
    rows = [_row(device, e, now, api) for e in events]
    plain = [r for r in rows if not r["is_alarm"]]
    if len(plain) < len(rows):
        conn.exec_driver_sql("set local synchronous_commit = on")  # tickets wait for the disk
    first_id = None
    if len(plain) == 1 and len(rows) == 1:
        first_id = conn.execute(device_events.insert().returning(device_events.c.id), plain)
        first_id = first_id.scalar()
    elif plain:
        conn.execute(device_events.insert(), plain)
    tickets = []
    for row in (r for r in rows if r["is_alarm"]):
        event_id = conn.execute(device_events.insert().values(**row).returning(device_events.c.id))
        first_id = event_id = event_id.scalar()
        tickets.append(
            raise_alarm(
                conn,
                device=device,
                kind=row["kind"],
                now=now,
                event_id=event_id,
                latitude=row["latitude"],
                longitude=row["longitude"],
            )
        )
    return {"accepted": len(rows), "event_id": first_id, "tickets": tickets}


def _keep_refusal(engine: Engine, refused: Refused, claimed: str | None, body: bytes, now) -> None:
    values = {
        "received_at": now,
        "device_id": refused.device_id,
        "claimed_device_id": (claimed or None) and claimed[:64],
        "status": refused.status,
        "reason": refused.reason[:2000],
        "body": body.decode("utf-8", "replace")[:KEPT_BODY_CHARS],
    }
    with engine.begin() as conn:
        conn.execute(device_events_rejected.insert().values(**values))


def accept(
    engine: Engine,
    *,
    api: Api,
    claimed: str | None,
    key: str | None,
    body: bytes,
    now: datetime,
    batch: bool = False,
) -> dict:
    """Authenticate, validate and store one event or a batch (all or nothing); a refusal is
    kept with its reason and raised as 401, 403 or 422 in the API's error shape.

    Telemetry from a device with the right key goes the fast path (fastpath.py); alarms,
    and anything the fast path does not store, go the careful one, which names the reason."""
    fast = _fast_candidate(body, claimed, key, now, batch, api)
    if fast is not None:
        kinds = set.intersection(*(DEVICE_KINDS[e.kind] for e in fast))
        ids = fastpath.try_store(engine, device_id=int(claimed), key_hash=key_hash(key),
                                 device_kinds=sorted(kinds), events=fast, now=now)  # fmt: skip
        if ids:
            return {"accepted": len(ids), "event_id": ids[0], "tickets": []}
    try:
        with engine.begin() as conn:
            device = _authenticate(conn, claimed, key)
            events = _validate(body, device, now, batch, api)
            return store(conn, device, events, now, api)
    except Refused as refused:
        _keep_refusal(engine, refused, claimed, body, now)
        raise AppError(refused.status, refused.code, refused.reason) from None


def detect_inactivity(conn: Connection, *, now: datetime, hours: int) -> list[int]:
    """Alarm tickets for active watches, fall detectors and door sensors silent for `hours`
    (since their last event, or registration), once per silence. Concurrent sweeps (one per
    worker) queue on a lock, so a silence is never raised twice."""
    conn.execute(text("select pg_advisory_xact_lock(:k)"), {"k": INACTIVITY_LOCK})
    last = (
        select(func.max(device_events.c.occurred_at))
        .where(device_events.c.device_id == devices.c.id)
        .scalar_subquery()
    )
    since = func.coalesce(last, devices.c.registered_at)
    raised = select(call_tickets.c.id).where(
        and_(
            call_tickets.c.device_id == devices.c.id,
            call_tickets.c.alarm_kind == "no_activity",
            call_tickets.c.opened_at >= since,
        )
    )
    query = select(*DEVICE.selected_columns, since.label("since")).where(
        devices.c.status == "active",
        devices.c.kind.in_(WATCHED_FOR_INACTIVITY),
        since <= now - timedelta(hours=hours),
        ~raised.exists(),
    )
    opened = []
    for device in conn.execute(query.order_by(devices.c.id)).mappings().all():
        opened.append(raise_alarm(conn, device=dict(device), kind="no_activity", now=now))
    return opened
