"""A.7.2–A.7.3 follow-up: visit or call the elder, record resolution and satisfaction; an
unresolved issue stays tracked (state unresolved) and a dissatisfied elder opens supervision."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, func, select

from operational_api.audit.service import record
from operational_api.followups.models import followups
from operational_api.orders.models import orders
from operational_api.orders.service import get, transition
from operational_api.organisations.models import organisations
from operational_api.roles import Principal
from operational_api.scope import case_scope
from operational_api.supervision.service import open_case

DISSATISFIED_AT_MOST = 2


def _refresh_rating(conn: Connection, organisation_id: int | None) -> None:
    """An organisation's rating is the mean satisfaction of its followed-up orders."""
    if organisation_id is None:
        return
    mean = select(func.avg(orders.c.satisfaction)).where(
        orders.c.organisation_id == organisation_id, orders.c.satisfaction.is_not(None)
    )
    conn.execute(
        organisations.update()
        .where(organisations.c.id == organisation_id)
        .values(rating=func.coalesce(mean.scalar_subquery(), 3))
    )


def follow_up(
    conn: Connection,
    *,
    user: Principal,
    order_id: int,
    method: str,
    resolved: bool,
    satisfaction: int | None,
    comments: str | None,
    now: datetime,
) -> dict:
    """Record a visit or call and move the order to closed or unresolved."""
    action = "follow_up_resolved" if resolved else "follow_up_unresolved"
    values = {"satisfaction": satisfaction} if satisfaction else {}
    order = transition(
        conn, user=user, order_id=order_id, action=action, now=now, values=values, note=comments
    )
    entry = {
        "order_id": order_id,
        "method": method,
        "resolved": resolved,
        "satisfaction": satisfaction,
        "comments": comments,
        "at": now,
        "by_user": user.user_id,
    }
    entry_id = conn.execute(followups.insert().values(**entry).returning(followups.c.id)).scalar()
    record(
        conn,
        actor=user,
        action="followup.record",
        entity="followup",
        entity_id=entry_id,
        now=now,
        after=entry,
    )
    if satisfaction:
        _refresh_rating(conn, order["organisation_id"])
    if satisfaction is not None and satisfaction <= DISSATISFIED_AT_MOST:
        reason = f"elder rated the service {satisfaction}/5: {comments or 'no comment'}"
        open_case(conn, order=order, trigger="dissatisfied", reason=reason, now=now, user=user)
    return {**entry, "id": entry_id, "order_state": order["state"]}


def history(conn: Connection, *, user: Principal, order_id: int) -> list[dict]:
    get(conn, user=user, order_id=order_id)
    query = select(followups).where(followups.c.order_id == order_id).order_by(followups.c.id)
    return [dict(r) for r in conn.execute(query).mappings()]


def unresolved(conn: Connection, *, user: Principal) -> list[dict]:
    """Orders whose issue is not yet resolved, oldest first: tracked until they are."""
    query = (
        select(orders)
        .where(orders.c.state == "unresolved", case_scope(user, orders))
        .order_by(orders.c.updated_at)
    )
    return [dict(r) for r in conn.execute(query).mappings()]
