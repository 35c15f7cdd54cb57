"""5.5.1 call centre: tickets for one-key calls, device alarms and consultations.

A ticket is opened at once (by a terminal's event, an alarm, or an operator), answered or
referred to a named department, then closed. An alarm or one-key ticket still open after
`api.alarm_escalation_minutes` is escalated by `escalate_overdue`, which the app runs every
minute, on every queue read, and which the simulator calls as it goes.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Connection, select

from operational_api.audit.service import record
from operational_api.calls.models import call_tickets
from operational_api.elders.models import elders
from operational_api.errors import AppError, conflict
from operational_api.lookup import get_or_404
from operational_api.orders import service as orders
from operational_api.orders.models import orders as order_table
from operational_api.roles import ELDER, OPERATOR, SUPERVISOR, Principal
from operational_api.scope import area_scope, elder_scope
from warehouse.settings import Api

READERS = (OPERATOR, SUPERVISOR, ELDER)
URGENT = ("one_key", "alarm")
# action -> (allowed current states, new state, timestamp it sets, kinds it applies to)
TRANSITIONS = {
    "escalate": (("open",), "escalated", "escalated_at", URGENT),
    "answer": (("open", "escalated"), "answered", "answered_at", (*URGENT, "consultation")),
    "refer": (("open", "escalated"), "referred", "answered_at", ("consultation",)),
    "close": (("answered", "referred"), "closed", "closed_at", (*URGENT, "consultation")),
}
WITH_ORDER = select(call_tickets, order_table.c.state.label("order_state")).outerjoin(
    order_table, order_table.c.id == call_tickets.c.order_id
)


def _area_of(conn: Connection, elder_id: int | None) -> dict:
    if elder_id is None:
        return {}
    columns = select(elders.c.district_code, elders.c.street_code, elders.c.community_code)
    return get_or_404(conn, columns, elders.c.elder_id == elder_id, what=f"elder {elder_id}")


def open_ticket(
    conn: Connection,
    *,
    kind: str,
    now: datetime,
    elder_id: int | None,
    user: Principal | None = None,
    area: dict | None = None,
    **details,
) -> dict:
    """Open a ticket at once; audited (a device's alarm is recorded with actor 'system')."""
    values = {
        "kind": kind,
        "state": "open",
        "elder_id": elder_id,
        **(area if area is not None else _area_of(conn, elder_id)),
        **details,
        "opened_at": now,
        "opened_by": user.user_id if user else None,
        "updated_at": now,
    }
    row = conn.execute(call_tickets.insert().values(**values).returning(call_tickets))
    ticket = dict(row.mappings().one())
    record(
        conn,
        actor=user,
        action=f"call.open.{kind}",
        entity="call_ticket",
        entity_id=ticket["id"],
        now=now,
        after=values,
    )
    return ticket


def take_call(
    conn: Connection,
    *,
    user: Principal,
    now: datetime,
    kind: str,
    elder_id: int | None,
    location: str | None,
    question: str | None,
) -> dict:
    """An operator opens a ticket for a call: a one-key call relayed by phone, or a question."""
    if kind == "one_key" and elder_id is None:
        raise AppError(422, "invalid_request", "a one-key call needs elder_id")
    if kind == "consultation" and not question:
        raise AppError(422, "invalid_request", "a consultation needs the question asked")
    if elder_id is not None:
        get_or_404(
            conn,
            elders,
            elders.c.elder_id == elder_id,
            elder_scope(user, elders),
            what=f"elder {elder_id}",
        )
    return open_ticket(
        conn, kind=kind, now=now, elder_id=elder_id, user=user, location=location, question=question
    )


def get(conn: Connection, *, user: Principal, ticket_id: int, lock: bool = False) -> dict:
    """One ticket in the caller's scope, with the state of its linked order."""
    scope = area_scope(user, call_tickets, readers=READERS)
    query = WITH_ORDER.with_for_update(of=call_tickets) if lock else WITH_ORDER
    return get_or_404(
        conn, query, call_tickets.c.id == ticket_id, scope, what=f"call ticket {ticket_id}"
    )


def transition(
    conn: Connection,
    *,
    user: Principal | None,
    ticket_id: int,
    action: str,
    now: datetime,
    values: dict | None = None,
) -> dict:
    """Move a ticket along one transition under a row lock; 409 names its current state."""
    sources, target, stamp, kinds = TRANSITIONS[action]
    if user is None:
        ticket = get_or_404(
            conn,
            call_tickets,
            call_tickets.c.id == ticket_id,
            what=f"call ticket {ticket_id}",
            lock=True,
        )
    else:
        ticket = get(conn, user=user, ticket_id=ticket_id, lock=True)
    if ticket["kind"] not in kinds or ticket["state"] not in sources:
        raise conflict(
            f"cannot {action} call ticket {ticket_id}: it is a {ticket['kind']} ticket in state "
            f"'{ticket['state']}'; {action} needs a {'/'.join(kinds)} ticket in one of: "
            f"{', '.join(sources)}",
            "illegal_transition",
        )
    changes = {**(values or {}), "state": target, stamp: now, "updated_at": now}
    if action in ("answer", "refer") and user:
        changes["answered_by"] = user.user_id
    conn.execute(call_tickets.update().where(call_tickets.c.id == ticket_id).values(**changes))
    record(
        conn,
        actor=user,
        action=f"call.{action}",
        entity="call_ticket",
        entity_id=ticket_id,
        now=now,
        before={k: ticket.get(k) for k in changes},
        after=changes,
    )
    return {**ticket, **changes}


def escalate_overdue(conn: Connection, *, now: datetime, minutes: int) -> list[int]:
    """Escalate every alarm and one-key ticket still unanswered `minutes` after it opened."""
    overdue = select(call_tickets.c.id).where(
        call_tickets.c.kind.in_(URGENT),
        call_tickets.c.state == "open",
        call_tickets.c.opened_at <= now - timedelta(minutes=minutes),
    )
    ids = list(
        conn.execute(
            overdue.order_by(call_tickets.c.id).with_for_update(skip_locked=True)
        ).scalars()
    )
    for ticket_id in ids:
        transition(conn, user=None, ticket_id=ticket_id, action="escalate", now=now)
    return ids


def list_for(
    conn: Connection,
    *,
    user: Principal,
    states: tuple[str, ...] | None = None,
    elder_id: int | None = None,
    kind: str | None = None,
    limit: int = 100,
) -> list[dict]:
    """Tickets in the caller's scope: escalated first, then oldest first among open ones."""
    query = WITH_ORDER.where(area_scope(user, call_tickets, readers=READERS))
    if states:
        query = query.where(call_tickets.c.state.in_(states))
    if elder_id is not None:
        query = query.where(call_tickets.c.elder_id == elder_id)
    if kind:
        query = query.where(call_tickets.c.kind == kind)
    if states and set(states) <= {"open", "escalated"}:
        order = ((call_tickets.c.state == "escalated").desc(), call_tickets.c.opened_at)
    else:
        order = (call_tickets.c.opened_at.desc(), call_tickets.c.id.desc())
    return [dict(r) for r in conn.execute(query.order_by(*order).limit(limit)).mappings()]


def queue(conn: Connection, *, user: Principal, api: Api, now: datetime) -> list[dict]:
    """The operators' queue: escalate what is overdue, then every open or escalated ticket."""
    escalate_overdue(conn, now=now, minutes=api.alarm_escalation_minutes)
    return list_for(conn, user=user, states=("open", "escalated"), limit=500)


def open_order(
    conn: Connection,
    *,
    user: Principal,
    api: Api,
    now: datetime,
    ticket_id: int,
    item_id: int,
    description: str,
    organisation_id: int | None,
) -> dict:
    """Open a service order for the ticket's elder (channel one_key for terminals) and link it."""
    ticket = get(conn, user=user, ticket_id=ticket_id, lock=True)
    if ticket["elder_id"] is None or ticket["order_id"] is not None or ticket["state"] == "closed":
        raise conflict(
            f"call ticket {ticket_id} cannot take an order: it needs an elder, no linked order "
            f"(has {ticket['order_id']}) and not to be closed (is '{ticket['state']}')"
        )
    channel = "one_key" if ticket["kind"] in URGENT else "call_centre"
    order = orders.intake(
        conn,
        user=user,
        api=api,
        now=now,
        elder_id=ticket["elder_id"],
        kind="service",
        channel=channel,
        description=description,
        item_id=item_id,
        organisation_id=organisation_id,
    )
    link = {"order_id": order["id"], "updated_at": now}
    conn.execute(call_tickets.update().where(call_tickets.c.id == ticket_id).values(**link))
    record(
        conn,
        actor=user,
        action="call.link_order",
        entity="call_ticket",
        entity_id=ticket_id,
        now=now,
        before={"order_id": None},
        after=link,
    )
    return {**ticket, **link, "order_state": order["state"]}
