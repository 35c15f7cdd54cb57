"""Alembic environment: migrate `ops` as the migrator role; the version table lives in `ops`."""

from alembic import context
from sqlalchemy import create_engine, pool

from warehouse.connection import url
from warehouse.settings import load_settings

settings = context.config.attributes.get("settings") or load_settings()
context.config.attributes["settings"] = settings
engine = create_engine(url(settings, "migrator", "warehouse", "psycopg"), poolclass=pool.NullPool)

with engine.connect() as connection:
    connection.exec_driver_sql("set lock_timeout = '30s'")
    connection.commit()  # else Alembic sees an open transaction and leaves committing to us
    context.configure(
        connection=connection, version_table_schema="ops", transaction_per_migration=True
    )
    with context.begin_transaction():
        context.run_migrations()
engine.dispose()
