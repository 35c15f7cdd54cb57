from sqlalchemy import BigInteger, Boolean, Column, Date, DateTime, Integer, Table, Text

from operational_api.db import metadata

# A read-only view (ops.elders) over the elder database, the golden records of the record
# linkage (linkage.elders): the elders it counts, and those it excludes with the reason.
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
    Column("is_eligible", Boolean),
    Column("exclusion_reason", Text),
)
elder_profiles = Table(
    "elder_profiles",
    metadata,
    Column("elder_id", BigInteger, primary_key=True),
    Column("designated_organisation_id", Integer),
    Column("updated_at", DateTime(timezone=True)),
)
