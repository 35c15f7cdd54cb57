"""The order loop: intake, transitions with audit and history, listing by scope."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Connection, select

from operational_api.audit.service import record
from operational_api.catalogue.models import service_items
from operational_api.elders.models import elders
from operational_api.errors import AppError, conflict, forbidden
from operational_api.lookup import get_or_404
from operational_api.orders import matching
from operational_api.orders.models import order_events, orders
from operational_api.orders.transitions import TRANSITIONS, illegal_message
from operational_api.roles import ELDER, Principal
from operational_api.scope import case_scope, elder_scope
from operational_api.supervision import service as supervision
from warehouse.settings import Api

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud at the door


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))


def get(
    conn: Connection,
    *,
    user: Principal,
    order_id: int,
    lock: bool = False,
    scope: ColumnElement[bool] | None = None,
) -> dict:
    """One order the caller may see (404 otherwise), optionally locked for update."""
    where = case_scope(user, orders) if scope is None else scope
    return get_or_404(conn, orders, orders.c.id == order_id, where, what=f"order {order_id}",
                      lock=lock)  # fmt: skip


def _history(conn, order_id, action, before, after, actor, now, note=None) -> None:
    conn.execute(
        order_events.insert().values(
            order_id=order_id,
            action=action,
            from_state=before,
            to_state=after,
            actor_id=actor.user_id if actor else None,
            at=now,
            note=note,
        )
    )


def transition(
    conn: Connection,
    *,
    user: Principal,
    order_id: int,
    action: str,
    now: datetime,
    values: dict | None = None,
    scope: ColumnElement[bool] | None = None,
    check=None,
    note: str | None = None,
) -> dict:
    """Move an order along one transition under a row lock; 409 names its current state."""
    rule = TRANSITIONS[action]
    order = get(conn, user=user, order_id=order_id, lock=True, scope=scope)
    if order["kind"] != rule.kind or order["state"] not in rule.sources:
        raise conflict(
            illegal_message(order_id, action, order["kind"], order["state"]), "illegal_transition"
        )
    if check:
        check(order)
    changes = {**(values or {}), "state": rule.target, "updated_at": now}
    if rule.stamp:
        changes[rule.stamp] = now
    conn.execute(orders.update().where(orders.c.id == order_id).values(**changes))
    _history(conn, order_id, action, order["state"], rule.target, user, now, note)
    record(
        conn,
        actor=user,
        action=f"order.{action}",
        entity="order",
        entity_id=order_id,
        now=now,
        before={key: order[key] for key in changes},
        after=changes,
    )
    return {**order, **changes}


NOT_COUNTED = {"dead": "has died", "moved_out": "has moved out of Tianjin",
               "under_60": "is under 60"}  # fmt: skip


def _elder_for_intake(conn: Connection, user: Principal, elder_id: int) -> dict:
    """The elder in the caller's scope; one the elder database no longer counts is refused."""
    scope = elder_scope(user, elders)
    elder = get_or_404(conn, elders, elders.c.elder_id == elder_id, scope,
                       what=f"elder {elder_id}")  # fmt: skip
    if not elder["is_eligible"]:
        reason = NOT_COUNTED.get(elder["exclusion_reason"], elder["exclusion_reason"])
        raise conflict(
            f"elder {elder_id} {reason} according to the elder database; no request is taken",
            code="elder_not_counted",
        )
    return elder


def intake(
    conn: Connection,
    *,
    user: Principal,
    api: Api,
    now: datetime,
    elder_id: int,
    kind: str,
    channel: str,
    description: str,
    item_id: int | None = None,
    organisation_id: int | None = None,
) -> dict:
    """A.2: take in a request once, issue its unique code and, for a service, choose the org."""
    if user.role == ELDER and channel == "call_centre":
        raise forbidden("an elder submits through the platform, mobile or one-key terminal")
    elder = _elder_for_intake(conn, user, elder_id)
    values = {
        "kind": kind,
        "state": "accepted",
        "channel": channel,
        "elder_id": elder_id,
        "district_code": elder["district_code"],
        "street_code": elder["street_code"],
        "community_code": elder["community_code"],
        "description": description,
        "unique_code": new_code(),
        "created_by": user.user_id,
        "created_at": now,
        "updated_at": now,
    }
    if kind == "service":
        if item_id is None:
            raise AppError(422, "invalid_request", "a service request needs item_id")
        item = get_or_404(
            conn, service_items, service_items.c.id == item_id, what=f"service item {item_id}"
        )
        chosen, reasons = matching.choose(
            conn,
            elder_id=elder_id,
            item_id=item_id,
            street_code=elder["street_code"],
            requested_id=organisation_id,
        )
        values |= {
            "item_id": item_id,
            "organisation_id": chosen,
            "match": reasons,
            "due_at": now + timedelta(minutes=item["response_minutes"]),
        }
    order = dict(conn.execute(orders.insert().values(**values).returning(orders)).mappings().one())
    order_id = order["id"]
    _history(conn, order_id, "intake", None, "accepted", user, now)
    record(
        conn,
        actor=user,
        action="order.intake",
        entity="order",
        entity_id=order_id,
        now=now,
        after=values,
    )
    if kind == "service":
        supervision.check_repeat_requests(conn, order=order, api=api, now=now)
    return order


def list_for(
    conn: Connection,
    *,
    user: Principal,
    state: str | None = None,
    elder_id: int | None = None,
    limit: int = 50,
    offset: int = 0,
    scope: ColumnElement[bool] | None = None,
) -> list[dict]:
    """Orders the caller may see, newest first."""
    query = select(orders).where(case_scope(user, orders) if scope is None else scope)
    if state:
        query = query.where(orders.c.state == state)
    if elder_id:
        query = query.where(orders.c.elder_id == elder_id)
    query = query.order_by(orders.c.created_at.desc(), orders.c.id.desc())
    return [dict(r) for r in conn.execute(query.limit(limit).offset(offset)).mappings()]


def correct(
    conn: Connection, *, user: Principal, order_id: int, changes: dict, now: datetime
) -> dict:
    """Edit an accepted order's description, item or organisation (A.3.2)."""
    order = get(conn, user=user, order_id=order_id, lock=True)
    if order["state"] != "accepted":
        raise conflict(
            f"cannot correct order {order_id}: its current state is '{order['state']}'; "
            "corrections are made while it is accepted, before review passes",
            "illegal_transition",
        )
    if "organisation_id" in changes:
        changes["match"] = {"rule": "dispatcher", "chosen": changes["organisation_id"]}
    changes["updated_at"] = now
    conn.execute(orders.update().where(orders.c.id == order_id).values(**changes))
    record(
        conn,
        actor=user,
        action="order.correct",
        entity="order",
        entity_id=order_id,
        now=now,
        before={k: order[k] for k in changes},
        after=changes,
    )
    return {**order, **changes}
