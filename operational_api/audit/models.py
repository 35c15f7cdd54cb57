"""The append-only, hash-chained audit log.

A request inserts its row with the chain columns empty; the sealer fills them (`chain_seq`,
the row's place in the chain, `prev_hash`, `hash`) through `ops.seal_audit_rows`."""

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
    Column("chain_seq", BigInteger),
    Column("prev_hash", Text),
    Column("hash", Text),
)
