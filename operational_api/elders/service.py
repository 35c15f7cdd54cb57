"""Elders, read through the read-only view ops.elders, and the API's own data about them:
the designated organisation and service agreements (A.1.1)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Connection, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import IntegrityError

from operational_api.audit.service import record
from operational_api.elders.models import elder_profiles, elders
from operational_api.errors import conflict, forbidden, not_found
from operational_api.lookup import get_or_404
from operational_api.organisations.models import agreements, organisations
from operational_api.roles import ORG_ADMIN, Principal, mask_id, mask_phone
from operational_api.scope import elder_scope


def present(row: dict, role: str) -> dict:
    """An elder as the role may see them: ID number and phone masked unless it needs them."""
    return {
        **row,
        "id_number": mask_id(row["id_number"], role),
        "phone": mask_phone(row["phone"], role),
    }


def search(
    conn: Connection,
    *,
    user: Principal,
    id_number: str | None = None,
    name: str | None = None,
    street_code: str | None = None,
    limit: int = 20,
) -> list[dict]:
    """Elders in the caller's scope by exact ID number, name or street."""
    query = select(elders).where(elder_scope(user, elders))
    if id_number:
        query = query.where(elders.c.id_number == id_number.strip().upper())
    if name:
        query = query.where(elders.c.name == name.strip())
    if street_code:
        query = query.where(elders.c.street_code == street_code)
    rows = conn.execute(query.order_by(elders.c.elder_id).limit(limit)).mappings()
    return [present(dict(r), user.role) for r in rows]


def get(conn: Connection, *, user: Principal, elder_id: int) -> dict:
    query = select(elders, elder_profiles.c.designated_organisation_id).outerjoin(
        elder_profiles, elder_profiles.c.elder_id == elders.c.elder_id
    )
    scope = elder_scope(user, elders)
    row = get_or_404(conn, query, elders.c.elder_id == elder_id, scope, what=f"elder {elder_id}")
    return present(row, user.role)


def designate(
    conn: Connection,
    *,
    user: Principal,
    elder_id: int,
    organisation_id: int | None,
    now: datetime,
) -> dict:
    """Set (or clear) the organisation the elder prefers; intake picks it first."""
    current = get(conn, user=user, elder_id=elder_id)
    if organisation_id is not None:
        exists = select(organisations.c.id)
        get_or_404(conn, exists, organisations.c.id == organisation_id,
                   what=f"organisation {organisation_id}")  # fmt: skip
    values = {"designated_organisation_id": organisation_id, "updated_at": now}
    statement = insert(elder_profiles).values(elder_id=elder_id, **values)
    conn.execute(statement.on_conflict_do_update(index_elements=["elder_id"], set_=values))
    record(
        conn,
        actor=user,
        action="elder.designate",
        entity="elder",
        entity_id=elder_id,
        now=now,
        before={"designated_organisation_id": current["designated_organisation_id"]},
        after=values,
    )
    return get(conn, user=user, elder_id=elder_id)


def sign_agreement(
    conn: Connection,
    *,
    user: Principal,
    elder_id: int,
    organisation_id: int,
    valid_until: date | None,
    terms: str | None,
    now: datetime,
) -> dict:
    """Record the service agreement between elder and organisation (before any service)."""
    if user.role == ORG_ADMIN and user.organisation_id != organisation_id:
        raise forbidden("an organisation records agreements for itself only")
    if user.role != ORG_ADMIN:
        get(conn, user=user, elder_id=elder_id)
    else:
        get_or_404(conn, select(elders.c.elder_id), elders.c.elder_id == elder_id,
                   what=f"elder {elder_id}")  # fmt: skip
    values = {
        "elder_id": elder_id,
        "organisation_id": organisation_id,
        "signed_at": now,
        "valid_until": valid_until,
        "terms": terms,
    }
    try:
        with conn.begin_nested():
            new_id = conn.execute(
                agreements.insert().values(**values).returning(agreements.c.id)
            ).scalar()
    except IntegrityError as exc:
        if "foreign key" in str(exc.orig):
            raise not_found(f"organisation {organisation_id}") from None
        raise conflict(
            f"elder {elder_id} already has an agreement with organisation {organisation_id}"
        ) from None
    record(
        conn,
        actor=user,
        action="agreement.sign",
        entity="agreement",
        entity_id=new_id,
        now=now,
        after=values,
    )
    return {**values, "id": new_id}


def agreements_of(conn: Connection, *, user: Principal, elder_id: int) -> list[dict]:
    get(conn, user=user, elder_id=elder_id)
    query = select(agreements).where(agreements.c.elder_id == elder_id)
    if user.role == ORG_ADMIN:
        query = query.where(agreements.c.organisation_id == user.organisation_id)
    return [dict(r) for r in conn.execute(query.order_by(agreements.c.id)).mappings()]
