from sqlalchemy import Column, Table, Text

from operational_api.db import metadata

regions = Table(
    "regions",
    metadata,
    Column("code", Text, primary_key=True),
    Column("name", Text),
    Column("level", Text),
    Column("parent_code", Text),
)
