from sqlalchemy import ARRAY, Boolean, Column, ForeignKey, Integer, Numeric, Table, Text

from operational_api.db import metadata

service_columns = Table(
    "service_columns", metadata, Column("id", Integer, primary_key=True), Column("name", Text)
)
service_categories = Table(
    "service_categories",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("column_id", Integer, ForeignKey("ops.service_columns.id")),
    Column("name", Text),
)
service_items = Table(
    "service_items",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("category_id", Integer, ForeignKey("ops.service_categories.id")),
    Column("name", Text),
    Column("standard_minutes", Integer),
    Column("price", Numeric(10, 2)),
    Column("response_minutes", Integer),
    Column("keywords", ARRAY(Text)),
    Column("is_active", Boolean),
)
