from sqlalchemy import BigInteger, Column, DateTime, Integer, Table, Text

from operational_api.db import metadata

complaints = Table(
    "complaints",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("source", Text),
    Column("source_name", Text),
    Column("elder_id", BigInteger),
    Column("order_id", BigInteger),
    Column("organisation_id", Integer),
    Column("district_code", Text),
    Column("street_code", Text),
    Column("community_code", Text),
    Column("content", Text),
    Column("state", Text),
    Column("received_at", DateTime(timezone=True)),
    Column("received_by", Integer),
    Column("reply_due_at", DateTime(timezone=True)),
    Column("answer", Text),
    Column("answered_at", DateTime(timezone=True)),
    Column("handler_id", Integer),
    Column("investigation_notes", Text),
    Column("resolution", Text),
    Column("reply", Text),
    Column("replied_at", DateTime(timezone=True)),
    Column("closed_at", DateTime(timezone=True)),
)
