"""Service staff, managed by their organisation (5.4.3.2): they log in with phone + password."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, delete, insert, select

from operational_api.audit.service import record
from operational_api.auth import service as accounts
from operational_api.auth.models import staff_skills, users
from operational_api.lookup import get_or_404
from operational_api.roles import Principal


def _skills(conn: Connection, user_id: int) -> list[int]:
    query = select(staff_skills.c.item_id).where(staff_skills.c.user_id == user_id)
    return sorted(conn.execute(query).scalars())


def _set_skills(conn: Connection, user_id: int, item_ids: list[int]) -> None:
    conn.execute(delete(staff_skills).where(staff_skills.c.user_id == user_id))
    if item_ids:
        rows = [{"user_id": user_id, "item_id": item} for item in sorted(set(item_ids))]
        conn.execute(insert(staff_skills), rows)


def get(conn: Connection, *, user: Principal, staff_id: int) -> dict:
    row = get_or_404(
        conn,
        users,
        users.c.id == staff_id,
        users.c.role == "staff",
        users.c.organisation_id == user.organisation_id,
        users.c.is_active,
        what=f"staff member {staff_id} of your organisation",
    )
    return {**accounts.public(row), "skills": _skills(conn, staff_id)}


def create(
    conn: Connection,
    *,
    user: Principal,
    now: datetime,
    phone: str,
    password: str,
    display_name: str,
    skills: list[int],
) -> dict:
    """Add a staff member to the caller's organisation; their phone is their login."""
    created = accounts.create_user(
        conn,
        actor=user,
        now=now,
        username=phone,
        password=password,
        role="staff",
        display_name=display_name,
        phone=phone,
        organisation_id=user.organisation_id,
    )
    _set_skills(conn, created["id"], skills)
    return {**created, "skills": sorted(set(skills))}


def update(
    conn: Connection, *, user: Principal, staff_id: int, changes: dict, now: datetime
) -> dict:
    """Change a staff member's name, phone (and login), password or skills."""
    current = get(conn, user=user, staff_id=staff_id)
    skills = changes.pop("skills", None)
    if changes.get("phone"):
        changes["username"] = changes["phone"]
    accounts.update_user(conn, actor=user, user_id=staff_id, changes=changes, now=now)
    if skills is not None:
        _set_skills(conn, staff_id, skills)
        record(
            conn,
            actor=user,
            action="staff.skills",
            entity="user",
            entity_id=staff_id,
            now=now,
            before={"skills": current["skills"]},
            after={"skills": sorted(set(skills))},
        )
    return get(conn, user=user, staff_id=staff_id)


def remove(conn: Connection, *, user: Principal, staff_id: int, now: datetime) -> None:
    """Disable the account (kept, because orders refer to it); it can no longer log in."""
    get(conn, user=user, staff_id=staff_id)
    accounts.update_user(conn, actor=user, user_id=staff_id, changes={"is_active": False}, now=now)


def list_for(conn: Connection, *, user: Principal) -> list[dict]:
    query = select(users.c.id).where(
        users.c.role == "staff",
        users.c.organisation_id == user.organisation_id,
        users.c.is_active,
    )
    return [
        get(conn, user=user, staff_id=i) for i in conn.execute(query.order_by(users.c.id)).scalars()
    ]
