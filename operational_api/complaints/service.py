"""A.6 complaints: from an elder or passed on by a consumer association, authority or media,
with a promised reply time; answered at once or assigned; investigated, resolved, replied to,
and closed only with a complete record."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Connection, select

from operational_api.audit.service import record
from operational_api.complaints.models import complaints
from operational_api.elders.models import elders
from operational_api.errors import AppError, conflict
from operational_api.lookup import get_or_404
from operational_api.orders.models import orders
from operational_api.roles import SUPERVISOR, Principal
from operational_api.scope import case_scope
from warehouse.settings import Api

# step -> (allowed current states, new state, field it fills, timestamp it sets)
STEPS = {
    "assign": (("received",), "assigned", "handler_id", None),
    "investigate": (("assigned", "investigating"), "investigating", "investigation_notes", None),
    "propose": (("investigating",), "proposed", "resolution", None),
    "reply": (("proposed",), "replied", "reply", "replied_at"),
}
REQUIRED_TO_CLOSE = {
    "answered": ("answer",),
    "replied": ("handler_id", "investigation_notes", "resolution", "reply"),
}


def _visible(user: Principal):
    scope = case_scope(user, complaints)
    return scope | (complaints.c.handler_id == user.user_id) if user.role == SUPERVISOR else scope


def get(conn: Connection, *, user: Principal, complaint_id: int) -> dict:
    return get_or_404(
        conn, complaints, complaints.c.id == complaint_id, _visible(user),
        what=f"complaint {complaint_id}",
    )  # fmt: skip


def _area(conn: Connection, elder_id: int | None, order_id: int | None) -> dict:
    if order_id is not None:
        query = select(
            orders.c.elder_id,
            orders.c.organisation_id,
            orders.c.district_code,
            orders.c.street_code,
            orders.c.community_code,
        ).where(orders.c.id == order_id)
    elif elder_id is not None:
        query = select(
            elders.c.elder_id, elders.c.district_code, elders.c.street_code, elders.c.community_code
        ).where(elders.c.elder_id == elder_id)
    else:
        return {}
    what = f"order {order_id}" if order_id is not None else f"elder {elder_id}"
    return get_or_404(conn, query, what=what)


def receive(
    conn: Connection,
    *,
    user: Principal,
    api: Api,
    now: datetime,
    source: str,
    content: str,
    source_name: str | None = None,
    elder_id: int | None = None,
    order_id: int | None = None,
    reply_hours: int | None = None,
    answer: str | None = None,
) -> dict:
    """Take a complaint in; answered at once when `answer` is given, else it awaits assignment."""
    if source != "elder" and not source_name:
        raise AppError(422, "invalid_request", f"a complaint from {source} needs source_name")
    values = {
        "source": source,
        "source_name": source_name,
        "content": content,
        "elder_id": elder_id,
        "order_id": order_id,
        **_area(conn, elder_id, order_id),
        "received_at": now,
        "received_by": user.user_id,
        "reply_due_at": now + timedelta(hours=reply_hours or api.complaint_reply_hours),
        "state": "answered" if answer else "received",
        "answer": answer,
        "answered_at": now if answer else None,
    }
    row = conn.execute(complaints.insert().values(**values).returning(complaints)).mappings().one()
    new_id = row["id"]
    record(
        conn,
        actor=user,
        action="complaint.receive",
        entity="complaint",
        entity_id=new_id,
        now=now,
        after=values,
    )
    return dict(row)


def _change(conn, user, complaint, changes, action, now) -> dict:
    conn.execute(complaints.update().where(complaints.c.id == complaint["id"]).values(**changes))
    record(
        conn,
        actor=user,
        action=f"complaint.{action}",
        entity="complaint",
        entity_id=complaint["id"],
        now=now,
        before={k: complaint[k] for k in changes},
        after=changes,
    )
    return {**complaint, **changes}


def step(
    conn: Connection, *, user: Principal, complaint_id: int, step: str, value, now: datetime
) -> dict:
    """One step of handling: assign, investigate, propose or reply."""
    sources, target, field, stamp = STEPS[step]
    complaint = get(conn, user=user, complaint_id=complaint_id)
    if complaint["state"] not in sources:
        raise conflict(
            f"cannot {step} complaint {complaint_id}: its current state is "
            f"'{complaint['state']}'; {step} needs one of: {', '.join(sources)}",
            "illegal_transition",
        )
    changes = {"state": target, field: value}
    if stamp:
        changes[stamp] = now
    return _change(conn, user, complaint, changes, step, now)


def close(conn: Connection, *, user: Principal, complaint_id: int, now: datetime) -> dict:
    """Close a complaint whose record is complete (A.6.4)."""
    complaint = get(conn, user=user, complaint_id=complaint_id)
    needed = REQUIRED_TO_CLOSE.get(complaint["state"])
    if needed is None:
        raise conflict(
            f"cannot close complaint {complaint_id}: its current state is "
            f"'{complaint['state']}'; close needs answered or replied",
            "illegal_transition",
        )
    missing = [field for field in needed if not complaint[field]]
    if missing:
        raise conflict(f"complaint {complaint_id} record is incomplete: {', '.join(missing)}")
    return _change(conn, user, complaint, {"state": "closed", "closed_at": now}, "close", now)


def list_for(conn: Connection, *, user: Principal, state: str | None = None) -> list[dict]:
    query = select(complaints).where(_visible(user))
    if state:
        query = query.where(complaints.c.state == state)
    return [dict(r) for r in conn.execute(query.order_by(complaints.c.id.desc())).mappings()]
