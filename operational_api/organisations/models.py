from sqlalchemy import BigInteger, Boolean, Column, Date, DateTime, Integer, Numeric, Table, Text

from operational_api.db import metadata

organisations = Table(
    "organisations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", Text),
    Column("district_code", Text),
    Column("address", Text),
    Column("phone", Text),
    Column("is_online", Boolean),
    Column("grab_enabled", Boolean),
    Column("rating", Numeric(3, 2)),
    Column("created_at", DateTime(timezone=True)),
)
organisation_streets = Table(
    "organisation_streets",
    metadata,
    Column("organisation_id", Integer, primary_key=True),
    Column("street_code", Text, primary_key=True),
)
qualifications = Table(
    "qualifications",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("organisation_id", Integer),
    Column("item_id", Integer),
    Column("status", Text),
    Column("applied_at", DateTime(timezone=True)),
    Column("decided_at", DateTime(timezone=True)),
    Column("decided_by", Integer),
    Column("note", Text),
)
agreements = Table(
    "agreements",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("elder_id", BigInteger),
    Column("organisation_id", Integer),
    Column("signed_at", DateTime(timezone=True)),
    Column("valid_until", Date),
    Column("terms", Text),
)
