"""The append-only, hash-chained audit log."""

from sqlalchemy import JSON, BigInteger, Column, DateTime, Integer, Table, Text

from operational_api.db import metadata

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", BigInteger, primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor_id", Integer),
    Column("actor_role", Text),
    Column("action", Text, nullable=False),
    Column("entity", Text, nullable=False),
    Column("entity_id", Text),
    Column("before", JSON(none_as_null=True)),
    Column("after", JSON(none_as_null=True)),
    Column("prev_hash", Text, nullable=False),
    Column("hash", Text, nullable=False),
)
