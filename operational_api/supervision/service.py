"""A.5 supervision (督办): opened automatically for overdue orders, repeated requests and
dissatisfied follow-ups, or by hand; method and outcome recorded; counted in evaluation."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Connection, func, select, text
from sqlalchemy.dialects.postgresql import insert

from operational_api.audit.service import record
from operational_api.errors import AppError
from operational_api.lookup import get_or_404
from operational_api.orders.models import orders
from operational_api.roles import Principal
from operational_api.scope import case_scope
from operational_api.supervision.models import supervisions
from warehouse.settings import Api

OVERDUE_STATES = ("accepted", "reviewed", "dispatched", "assigned")


def open_case(
    conn: Connection,
    *,
    order: dict,
    trigger: str,
    reason: str,
    now: datetime,
    user: Principal | None = None,
) -> int | None:
    """Open a case on an order; an automatic trigger opens at most one case per order."""
    values = {
        "order_id": order["id"],
        "organisation_id": order.get("organisation_id"),
        "elder_id": order["elder_id"],
        "district_code": order.get("district_code"),
        "street_code": order.get("street_code"),
        "community_code": order.get("community_code"),
        "trigger": trigger,
        "reason": reason,
        "opened_at": now,
        "opened_by": user.user_id if user else None,
        "state": "open",
    }
    statement = insert(supervisions).values(**values)
    if trigger != "manual":
        statement = statement.on_conflict_do_nothing(
            index_elements=["order_id", "trigger"], index_where=text("trigger <> 'manual'")
        )
    case_id = conn.execute(statement.returning(supervisions.c.id)).scalar()
    if case_id is not None:
        record(
            conn,
            actor=user,
            action=f"supervision.open.{trigger}",
            entity="supervision",
            entity_id=case_id,
            now=now,
            after=values,
        )
    return case_id


def check_repeat_requests(conn: Connection, *, order: dict, api: Api, now: datetime) -> None:
    """Open a case when one elder has made `threshold` requests within the window."""
    since = now - timedelta(hours=api.repeat_request_window_hours)
    count = conn.execute(
        select(func.count()).where(
            orders.c.elder_id == order["elder_id"],
            orders.c.kind == "service",
            orders.c.created_at >= since,
            orders.c.created_at <= now,
        )
    ).scalar()
    if count >= api.repeat_request_threshold:
        reason = (
            f"elder {order['elder_id']} made {count} requests within "
            f"{api.repeat_request_window_hours} hours"
        )
        open_case(conn, order=order, trigger="repeat_requests", reason=reason, now=now)


def sweep_overdue(conn: Connection, *, now: datetime) -> list[int]:
    """Open a case for every order past its promised time and not yet started."""
    query = select(orders).where(
        orders.c.kind == "service",
        orders.c.state.in_(OVERDUE_STATES),
        orders.c.due_at < now,
        ~select(supervisions.c.id)
        .where(supervisions.c.order_id == orders.c.id, supervisions.c.trigger == "overdue")
        .exists(),
    )
    opened = []
    for order in conn.execute(query).mappings().all():
        reason = f"not started by its promised time {order['due_at'].isoformat()}"
        case_id = open_case(conn, order=dict(order), trigger="overdue", reason=reason, now=now)
        if case_id:
            opened.append(case_id)
    return opened


def get_case(conn: Connection, *, user: Principal, case_id: int) -> dict:
    scope = case_scope(user, supervisions)
    return get_or_404(
        conn, supervisions, supervisions.c.id == case_id, scope, what=f"supervision case {case_id}"
    )


def record_action(
    conn: Connection,
    *,
    user: Principal,
    case_id: int,
    method: str,
    outcome: str,
    close: bool,
    now: datetime,
) -> dict:
    """Record how the case was pursued (phone, online reminder...) and with what outcome."""
    case = get_case(conn, user=user, case_id=case_id)
    if case["state"] == "closed":
        raise AppError(409, "conflict", f"supervision case {case_id} is already closed")
    changes = {"method": method, "outcome": outcome}
    if close:
        changes |= {"state": "closed", "closed_at": now}
    conn.execute(supervisions.update().where(supervisions.c.id == case_id).values(**changes))
    record(
        conn,
        actor=user,
        action="supervision.record",
        entity="supervision",
        entity_id=case_id,
        now=now,
        before={k: case[k] for k in changes},
        after=changes,
    )
    return {**case, **changes}


def list_cases(
    conn: Connection, *, user: Principal, trigger: str | None = None, limit: int = 100
) -> list[dict]:
    query = select(supervisions).where(case_scope(user, supervisions))
    if trigger:
        query = query.where(supervisions.c.trigger == trigger)
    query = query.order_by(supervisions.c.id.desc()).limit(limit)
    return [dict(r) for r in conn.execute(query).mappings()]
