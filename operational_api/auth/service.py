"""Accounts: created with an argon2 hash, authenticated by username (a phone for staff)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, select
from sqlalchemy.exc import IntegrityError

from operational_api.audit.service import record
from operational_api.auth.models import users
from operational_api.errors import AppError, conflict
from operational_api.lookup import get_or_404
from operational_api.roles import ROLES, Principal
from operational_api.security import hash_password, verify_password

PUBLIC_FIELDS = (
    "id",
    "username",
    "role",
    "display_name",
    "phone",
    "organisation_id",
    "elder_id",
    "scope_level",
    "scope_code",
    "is_active",
)


def public(row: dict) -> dict:
    """An account without its password hash (also kept out of the audit log)."""
    return {key: row.get(key) for key in PUBLIC_FIELDS}


def create_user(
    conn: Connection,
    *,
    actor: Principal | None,
    now: datetime,
    username: str,
    password: str,
    role: str,
    display_name: str,
    phone: str | None = None,
    organisation_id: int | None = None,
    elder_id: int | None = None,
    scope_level: str | None = None,
    scope_code: str | None = None,
    password_hash: str | None = None,
) -> dict:
    """Create an account; the password is stored only as an argon2 hash.

    `password_hash`, a hash made earlier of the same password, spares bulk provisioning (the
    simulator) one slow argon2 run per account.
    """
    if role not in ROLES:
        raise AppError(422, "invalid_request", f"unknown role {role}; one of: {', '.join(ROLES)}")
    if len(password) < 8:
        raise AppError(422, "invalid_request", "a password needs at least 8 characters")
    values = {
        "username": username,
        "role": role,
        "display_name": display_name,
        "phone": phone,
        "organisation_id": organisation_id,
        "elder_id": elder_id,
        "scope_level": scope_level,
        "scope_code": scope_code,
        "is_active": True,
        "created_at": now,
    }
    try:
        with conn.begin_nested():
            new_id = conn.execute(
                users.insert()
                .values(**values, password_hash=password_hash or hash_password(password))
                .returning(users.c.id)
            ).scalar()
    except IntegrityError as exc:
        if "users_username_key" in str(exc.orig):
            raise conflict(f"username {username} is taken: choose another") from None
        raise AppError(
            422,
            "invalid_request",
            "role and its fields do not fit: org_admin/staff need organisation_id, "
            "supervisor needs scope_level and scope_code, elder needs elder_id",
        ) from None
    row = {**values, "id": new_id}
    record(
        conn,
        actor=actor,
        action="user.create",
        entity="user",
        entity_id=new_id,
        now=now,
        after=public(row),
    )
    return public(row)


def authenticate(conn: Connection, *, username: str, password: str) -> Principal | None:
    """The principal behind active credentials, or None."""
    row = conn.execute(select(users).where(users.c.username == username)).mappings().first()
    if row is None or not row["is_active"] or not verify_password(row["password_hash"], password):
        return None
    return Principal(
        user_id=row["id"],
        role=row["role"],
        organisation_id=row["organisation_id"],
        elder_id=row["elder_id"],
        scope_level=row["scope_level"],
        scope_code=row["scope_code"],
    )


def get_user(conn: Connection, *, user_id: int) -> dict:
    return get_or_404(conn, users, users.c.id == user_id, what=f"user {user_id}")


def update_user(
    conn: Connection, *, actor: Principal, user_id: int, changes: dict, now: datetime
) -> dict:
    """Change an account's details; a new password is hashed, never stored or logged."""
    current = get_user(conn, user_id=user_id)
    stored = {k: v for k, v in changes.items() if k != "password"}
    if changes.get("password"):
        stored["password_hash"] = hash_password(changes["password"])
    if stored:
        conn.execute(users.update().where(users.c.id == user_id).values(**stored))
    logged = {k: v for k, v in stored.items() if k != "password_hash"}
    if "password_hash" in stored:
        logged["password"] = "changed"
    record(
        conn,
        actor=actor,
        action="user.update",
        entity="user",
        entity_id=user_id,
        now=now,
        before={k: current.get(k) for k in logged if k != "password"},
        after=logged,
    )
    return public({**current, **stored})


def list_users(conn: Connection, *, role: str | None = None) -> list[dict]:
    query = select(users).order_by(users.c.id)
    if role:
        query = query.where(users.c.role == role)
    return [public(dict(r)) for r in conn.execute(query).mappings()]
