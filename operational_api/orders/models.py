from sqlalchemy import BigInteger, Boolean, Column, DateTime, Integer, Numeric, Table, Text
from sqlalchemy.dialects.postgresql import JSONB

from operational_api.db import metadata


def _at(name: str) -> Column:
    return Column(name, DateTime(timezone=True))


orders = Table(
    "orders",
    metadata,
    Column("id", BigInteger, primary_key=True),
    Column("kind", Text),
    Column("state", Text),
    Column("channel", Text),
    Column("elder_id", BigInteger),
    Column("district_code", Text),
    Column("street_code", Text),
    Column("community_code", Text),
    Column("item_id", Integer),
    Column("description", Text),
    Column("organisation_id", Integer),
    Column("staff_id", Integer),
    Column("unique_code", Text),
    Column("match", JSONB),
    _at("due_at"),
    Column("dispatch_count", Integer),
    Column("hours", Numeric(6, 2)),
    Column("record_text", Text),
    Column("result", Text),
    Column("satisfaction", Integer),
    Column("answer", Text),
    Column("referred_to", Text),
    Column("created_by", Integer),
    *(
        _at(f"{event}_at")
        for event in (
            "created",
            "reviewed",
            "dispatched",
            "assigned",
            "started",
            "returned",
            "record_accepted",
            "answered",
            "closed",
            "cancelled",
            "updated",
        )
    ),
)
order_events = Table(
    "order_events",
    metadata,
    Column("id", BigInteger, primary_key=True),
    Column("order_id", BigInteger),
    Column("action", Text),
    Column("from_state", Text),
    Column("to_state", Text),
    Column("actor_id", Integer),
    _at("at"),
    Column("note", Text),
)
checkin_attempts = Table(
    "checkin_attempts",
    metadata,
    Column("id", BigInteger, primary_key=True),
    Column("order_id", BigInteger),
    Column("staff_id", Integer),
    _at("at"),
    Column("accepted", Boolean),
)
