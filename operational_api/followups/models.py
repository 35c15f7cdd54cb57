from sqlalchemy import BigInteger, Boolean, Column, DateTime, Integer, Table, Text

from operational_api.db import metadata

followups = Table(
    "followups",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("order_id", BigInteger),
    Column("method", Text),
    Column("resolved", Boolean),
    Column("satisfaction", Integer),
    Column("comments", Text),
    Column("at", DateTime(timezone=True)),
    Column("by_user", Integer),
)
