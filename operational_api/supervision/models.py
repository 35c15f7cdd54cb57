from sqlalchemy import BigInteger, Column, DateTime, Integer, Table, Text

from operational_api.db import metadata

supervisions = Table(
    "supervisions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("order_id", BigInteger),
    Column("organisation_id", Integer),
    Column("elder_id", BigInteger),
    Column("district_code", Text),
    Column("street_code", Text),
    Column("community_code", Text),
    Column("trigger", Text),
    Column("reason", Text),
    Column("opened_at", DateTime(timezone=True)),
    Column("opened_by", Integer),
    Column("method", Text),
    Column("outcome", Text),
    Column("state", Text),
    Column("closed_at", DateTime(timezone=True)),
)
