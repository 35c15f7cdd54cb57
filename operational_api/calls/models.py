from sqlalchemy import BigInteger, Column, DateTime, Integer, Numeric, Table, Text

from operational_api.db import metadata


def _at(name: str) -> Column:
    return Column(name, DateTime(timezone=True))


call_tickets = Table(
    "call_tickets",
    metadata,
    Column("id", BigInteger, primary_key=True),
    Column("kind", Text),
    Column("state", Text),
    Column("elder_id", BigInteger),
    Column("district_code", Text),
    Column("street_code", Text),
    Column("community_code", Text),
    Column("device_id", Integer),
    Column("event_id", BigInteger),
    Column("alarm_kind", Text),
    Column("location", Text),
    Column("latitude", Numeric(9, 6)),
    Column("longitude", Numeric(9, 6)),
    Column("question", Text),
    Column("answer", Text),
    Column("referred_to", Text),
    Column("order_id", BigInteger),
    _at("opened_at"),
    Column("opened_by", Integer),
    _at("escalated_at"),
    _at("answered_at"),
    Column("answered_by", Integer),
    _at("closed_at"),
    _at("updated_at"),
)
