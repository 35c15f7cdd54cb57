"""The steps after intake (A.3, A.4, A.7.1): review, dispatch, assign or grab, start with the
unique code, the service record, its review and a second dispatch."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, and_, select

from operational_api.audit.service import record
from operational_api.auth.models import staff_skills, users
from operational_api.errors import AppError, conflict, forbidden
from operational_api.orders import review as review_rules
from operational_api.orders.models import checkin_attempts, orders
from operational_api.orders.service import get, transition
from operational_api.organisations.models import agreements, organisations, qualifications
from operational_api.roles import Principal
from warehouse.settings import Api


def review(conn: Connection, *, user: Principal, order_id: int, api: Api, now: datetime) -> dict:
    """Pass review, or 422 listing every problem to fix first."""

    def passes(order: dict) -> None:
        found = review_rules.problems(conn, order, min_chars=api.min_description_chars)
        if found:
            raise AppError(422, "review_failed", "the order needs changes before dispatch", found)

    return transition(conn, user=user, order_id=order_id, action="review", now=now, check=passes)


def dispatch(conn: Connection, *, user: Principal, order_id: int, now: datetime) -> dict:
    """Send a reviewed order to its organisation, once an agreement exists (A.1.1)."""

    def ready(order: dict) -> None:
        org = order["organisation_id"]
        qualified = select(qualifications.c.id).where(
            qualifications.c.organisation_id == org,
            qualifications.c.item_id == order["item_id"],
            qualifications.c.status == "approved",
        )
        if conn.execute(qualified).first() is None:
            raise conflict(f"organisation {org} is not approved for item {order['item_id']}")
        signed = select(agreements.c.id).where(
            agreements.c.elder_id == order["elder_id"], agreements.c.organisation_id == org
        )
        if conn.execute(signed).first() is None:
            raise conflict(
                f"no service agreement between elder {order['elder_id']} and organisation "
                f"{org}: record one (POST /agreements) before dispatch (A.1.1)",
                "agreement_missing",
            )

    return transition(
        conn,
        user=user,
        order_id=order_id,
        action="dispatch",
        now=now,
        values={"dispatch_count": 1},
        check=ready,
    )


def _skilled(conn: Connection, staff_id: int, organisation_id: int, item_id: int) -> bool:
    query = (
        select(users.c.id)
        .join(staff_skills, and_(staff_skills.c.user_id == users.c.id))
        .where(
            users.c.id == staff_id,
            users.c.organisation_id == organisation_id,
            users.c.role == "staff",
            users.c.is_active,
            staff_skills.c.item_id == item_id,
        )
    )
    return conn.execute(query).first() is not None


def assign(
    conn: Connection, *, user: Principal, order_id: int, staff_id: int, now: datetime
) -> dict:
    """The organisation picks one of its active staff who has the item's skill (A.4.1)."""

    def staff_fits(order: dict) -> None:
        if not _skilled(conn, staff_id, order["organisation_id"], order["item_id"]):
            raise conflict(
                f"staff {staff_id} is not an active member of organisation "
                f"{order['organisation_id']} with the skill for item {order['item_id']}"
            )

    return transition(
        conn,
        user=user,
        order_id=order_id,
        action="assign",
        now=now,
        values={"staff_id": staff_id},
        check=staff_fits,
    )


def grab(conn: Connection, *, user: Principal, order_id: int, now: datetime) -> dict:
    """抢单: the first of the organisation's staff to take a dispatched order wins (row lock)."""

    def may_grab(order: dict) -> None:
        grab_on = select(organisations.c.grab_enabled).where(
            organisations.c.id == order["organisation_id"]
        )
        if not conn.execute(grab_on).scalar():
            raise forbidden("your organisation has grab-order switched off: wait to be assigned")
        if not _skilled(conn, user.user_id, user.organisation_id, order["item_id"]):
            raise forbidden(f"you lack the skill for item {order['item_id']}")

    return transition(
        conn,
        user=user,
        order_id=order_id,
        action="grab",
        now=now,
        values={"staff_id": user.user_id},
        scope=_own_org(user),
        check=may_grab,
    )


def _own_org(user: Principal):
    return orders.c.organisation_id == user.organisation_id


def _mine(user: Principal):
    def check(order: dict) -> None:
        if order["staff_id"] != user.user_id:
            raise forbidden(f"order {order['id']} is assigned to another staff member")

    return check


def start(conn: Connection, *, user: Principal, order_id: int, code: str, now: datetime) -> dict:
    """A.4.2: start on site with the order's unique code; a wrong code is refused and logged."""
    order = get(conn, user=user, order_id=order_id, scope=_own_org(user))
    mine = order["staff_id"] == user.user_id
    if order["state"] == "assigned" and mine and code.strip().upper() != order["unique_code"]:
        conn.execute(
            checkin_attempts.insert().values(
                order_id=order_id, staff_id=user.user_id, at=now, accepted=False
            )
        )
        record(
            conn,
            actor=user,
            action="order.start_refused",
            entity="order",
            entity_id=order_id,
            now=now,
            after={"reason": "wrong unique code"},
        )
        conn.commit()  # the refusal stays logged although the request fails
        raise forbidden("the unique code does not match this order: ask the elder for it again")
    done = transition(
        conn,
        user=user,
        order_id=order_id,
        action="start",
        now=now,
        scope=_own_org(user),
        check=_mine(user),
    )
    conn.execute(
        checkin_attempts.insert().values(
            order_id=order_id, staff_id=user.user_id, at=now, accepted=True
        )
    )
    return done


def file_record(
    conn: Connection,
    *,
    user: Principal,
    order_id: int,
    record_text: str,
    hours: float,
    result: str,
    now: datetime,
) -> dict:
    """A.4.3: the service record (回单): what was done, hours, result."""
    values = {"record_text": record_text, "hours": hours, "result": result}
    return transition(
        conn,
        user=user,
        order_id=order_id,
        action="file_record",
        now=now,
        values=values,
        scope=_own_org(user),
        check=_mine(user),
    )


def review_record(
    conn: Connection, *, user: Principal, order_id: int, acceptable: bool, note: str, now: datetime
) -> dict:
    """A.7.1: accept the returned record, or send the order back for a second dispatch."""
    if acceptable:
        return transition(
            conn, user=user, order_id=order_id, action="accept_record", now=now, note=note
        )
    order = get(conn, user=user, order_id=order_id)
    values = {"staff_id": None, "dispatch_count": (order["dispatch_count"] or 0) + 1}
    return transition(
        conn,
        user=user,
        order_id=order_id,
        action="reject_record",
        now=now,
        values=values,
        note=note,
    )
