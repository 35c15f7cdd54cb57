"""Service organisations (5.4.3): profile, online status, grab-order switch, service area and
qualifications per item (applied for by the organisation, decided by civil affairs)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, delete, func, insert, select, true
from sqlalchemy.exc import IntegrityError

from operational_api.audit.service import record
from operational_api.errors import conflict, forbidden, not_found
from operational_api.lookup import get_or_404
from operational_api.organisations.models import (
    organisation_streets,
    organisations,
    qualifications,
)
from operational_api.roles import ORG_ADMIN, SUPERVISOR, Principal


def _streets(conn: Connection, organisation_id: int) -> list[str]:
    query = select(organisation_streets.c.street_code).where(
        organisation_streets.c.organisation_id == organisation_id
    )
    return sorted(conn.execute(query).scalars())


def get(conn: Connection, *, user: Principal | None, organisation_id: int) -> dict:
    scope = true()
    if user and user.role == ORG_ADMIN:
        scope = organisations.c.id == user.organisation_id
    row = get_or_404(conn, organisations, organisations.c.id == organisation_id, scope,
                     what=f"organisation {organisation_id}")  # fmt: skip
    return {**row, "streets": _streets(conn, organisation_id)}


def list_for(conn: Connection, *, user: Principal) -> list[dict]:
    query = select(organisations.c.id).order_by(organisations.c.id)
    if user.role == ORG_ADMIN:
        query = query.where(organisations.c.id == user.organisation_id)
    ids = conn.execute(query).scalars().all()
    return [get(conn, user=user, organisation_id=i) for i in ids]


def set_streets(conn: Connection, organisation_id: int, streets: list[str]) -> None:
    conn.execute(
        delete(organisation_streets).where(
            organisation_streets.c.organisation_id == organisation_id
        )
    )
    if streets:
        rows = [
            {"organisation_id": organisation_id, "street_code": s} for s in sorted(set(streets))
        ]
        conn.execute(insert(organisation_streets), rows)


def create(
    conn: Connection, *, user: Principal | None, values: dict, streets: list[str], now: datetime
) -> dict:
    """Register an organisation with its service area (offline and grab-off until it says)."""
    try:
        with conn.begin_nested():
            new_id = conn.execute(
                organisations.insert()
                .values(**values, created_at=now)
                .returning(organisations.c.id)
            ).scalar()
    except IntegrityError:
        raise conflict(f"an organisation named {values['name']} exists already") from None
    set_streets(conn, new_id, streets)
    record(
        conn,
        actor=user,
        action="organisation.create",
        entity="organisation",
        entity_id=new_id,
        now=now,
        after={**values, "streets": streets},
    )
    return get(conn, user=None, organisation_id=new_id)


def change(
    conn: Connection,
    *,
    user: Principal | None,
    organisation_id: int,
    changes: dict,
    now: datetime,
) -> dict:
    """Profile, online/offline, grab on/off, or (administrators) the service streets."""
    current = get(conn, user=user, organisation_id=organisation_id)
    streets = changes.pop("streets", None)
    if changes:
        conn.execute(
            organisations.update().where(organisations.c.id == organisation_id).values(**changes)
        )
    if streets is not None:
        set_streets(conn, organisation_id, streets)
        changes["streets"] = sorted(set(streets))
    record(
        conn,
        actor=user,
        action="organisation.change",
        entity="organisation",
        entity_id=organisation_id,
        now=now,
        before={k: current[k] for k in changes},
        after=changes,
    )
    return get(conn, user=None, organisation_id=organisation_id)


def apply(
    conn: Connection,
    *,
    user: Principal | None,
    organisation_id: int,
    item_id: int,
    now: datetime,
) -> dict:
    """The organisation applies to provide an item; it may take orders once approved."""
    values = {
        "organisation_id": organisation_id,
        "item_id": item_id,
        "status": "applied",
        "applied_at": now,
    }
    try:
        with conn.begin_nested():
            new_id = conn.execute(
                qualifications.insert().values(**values).returning(qualifications.c.id)
            ).scalar()
    except IntegrityError as exc:
        if "foreign key" in str(exc.orig):
            raise not_found(f"service item {item_id}") from None
        raise conflict(f"organisation {organisation_id} has applied for item {item_id}") from None
    record(
        conn,
        actor=user,
        action="qualification.apply",
        entity="qualification",
        entity_id=new_id,
        now=now,
        after=values,
    )
    return {**values, "id": new_id}


def decide(
    conn: Connection,
    *,
    user: Principal | None,
    qualification_id: int,
    approve: bool,
    note: str | None,
    now: datetime,
) -> dict:
    """Civil affairs (a supervisor covering the organisation's district) decides."""
    query = (
        select(qualifications, organisations.c.district_code)
        .join(organisations, organisations.c.id == qualifications.c.organisation_id)
        .where(qualifications.c.id == qualification_id)
    )
    if user and user.role == SUPERVISOR and user.scope_level not in ("city", "district"):
        raise forbidden("qualifications are decided at city or district level")
    scope = true()
    if user and user.scope_level == "district":
        scope = func.substr(organisations.c.district_code, 1, 6) == user.scope_code[:6]
    row = get_or_404(conn, query, scope, what=f"qualification {qualification_id}")
    if row["status"] != "applied":
        raise conflict(f"qualification {qualification_id} is already {row['status']}")
    changes = {
        "status": "approved" if approve else "rejected",
        "decided_at": now,
        "decided_by": user.user_id if user else None,
        "note": note,
    }
    conn.execute(
        qualifications.update().where(qualifications.c.id == qualification_id).values(**changes)
    )
    record(
        conn,
        actor=user,
        action="qualification.decide",
        entity="qualification",
        entity_id=qualification_id,
        now=now,
        before={"status": "applied"},
        after=changes,
    )
    return {**{c.name: row[c.name] for c in qualifications.c}, **changes}


def list_qualifications(conn: Connection, *, organisation_id: int) -> list[dict]:
    query = select(qualifications).where(qualifications.c.organisation_id == organisation_id)
    return [dict(r) for r in conn.execute(query.order_by(qualifications.c.id)).mappings()]
