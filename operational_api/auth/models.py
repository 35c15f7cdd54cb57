from sqlalchemy import BigInteger, Boolean, Column, DateTime, Integer, Table, Text

from operational_api.db import metadata

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", Text),
    Column("password_hash", Text),
    Column("role", Text),
    Column("display_name", Text),
    Column("phone", Text),
    Column("organisation_id", Integer),
    Column("elder_id", BigInteger),
    Column("scope_level", Text),
    Column("scope_code", Text),
    Column("is_active", Boolean),
    Column("created_at", DateTime(timezone=True)),
)
staff_skills = Table(
    "staff_skills",
    metadata,
    Column("user_id", Integer, primary_key=True),
    Column("item_id", Integer, primary_key=True),
)
