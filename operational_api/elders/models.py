from sqlalchemy import BigInteger, Column, Date, DateTime, Integer, Table, Text

from operational_api.db import metadata

# A read-only view (ops.elders): the stand-in table now, golden records later.
elders = Table(
    "elders",
    metadata,
    Column("elder_id", BigInteger, primary_key=True),
    Column("id_number", Text),
    Column("name", Text),
    Column("sex_code", Text),
    Column("birth_date", Date),
    Column("phone", Text),
    Column("district_code", Text),
    Column("street_code", Text),
    Column("community_code", Text),
    Column("address", Text),
)
elder_profiles = Table(
    "elder_profiles",
    metadata,
    Column("elder_id", BigInteger, primary_key=True),
    Column("designated_organisation_id", Integer),
    Column("updated_at", DateTime(timezone=True)),
)
