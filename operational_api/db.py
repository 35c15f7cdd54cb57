"""The API's engine (role `api`, driver psycopg) and the shared table metadata of `ops`."""

from __future__ import annotations

from sqlalchemy import Engine, MetaData, create_engine

from warehouse.connection import url
from warehouse.settings import Settings

metadata = MetaData(schema="ops")


def make_engine(settings: Settings, *, pool_size: int = 20) -> Engine:
    """An engine that connects as the least-privileged `api` role."""
    from operational_api.audit.service import install

    engine = create_engine(
        url(settings, "api", "warehouse", "psycopg"),
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_pre_ping=True,
        connect_args={"application_name": "eldercare-api"},
    )
    install(engine)  # audit entries are sealed into the hash chain at each commit
    return engine
