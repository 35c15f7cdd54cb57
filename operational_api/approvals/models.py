from sqlalchemy import BigInteger, Column, DateTime, Integer, SmallInteger, Table, Text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

from operational_api.db import metadata

approval_chains = Table(
    "approval_chains",
    metadata,
    Column("matter_type", Text, primary_key=True),
    Column("step_no", SmallInteger, primary_key=True),
    Column("scope_level", Text),
)
approvals = Table(
    "approvals",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("matter_type", Text),
    Column("subject", Text),
    Column("elder_id", BigInteger),
    Column("organisation_id", Integer),
    Column("parameter_id", Integer),
    Column("district_code", Text),
    Column("street_code", Text),
    Column("community_code", Text),
    Column("details", JSONB),
    Column("chain", ARRAY(Text)),
    Column("state", Text),
    Column("current_step", SmallInteger),
    Column("submitted_by", Integer),
    Column("submitted_at", DateTime(timezone=True)),
    Column("return_reason", Text),
    Column("decided_at", DateTime(timezone=True)),
    Column("updated_at", DateTime(timezone=True)),
)
approval_steps = Table(
    "approval_steps",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("approval_id", Integer),
    Column("step_no", SmallInteger),
    Column("scope_level", Text),
    Column("action", Text),
    Column("actor_id", Integer),
    Column("at", DateTime(timezone=True)),
    Column("note", Text),
)
