from sqlalchemy import Boolean, Column, Date, DateTime, Integer, SmallInteger, Table, Text

from operational_api.db import metadata

subsidy_parameters = Table(
    "subsidy_parameters",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("subsidy_type", Text),
    Column("hardship_type", Text),
    Column("age_min", SmallInteger),
    Column("age_max", SmallInteger),
    Column("ability_level", Text),
    Column("residence", Text),
    Column("amount_fen", Integer),
    Column("effective_from", Date),
    Column("effective_to", Date),
    Column("status", Text),
    Column("is_assumed", Boolean),
    Column("source_note", Text),
    Column("replaces_id", Integer),
    Column("created_at", DateTime(timezone=True)),
    Column("created_by", Integer),
    Column("approved_at", DateTime(timezone=True)),
)
IDENTITY = ("subsidy_type", "hardship_type", "age_min", "age_max", "ability_level", "residence")
