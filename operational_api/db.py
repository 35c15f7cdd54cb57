"""The API's engine (role `api`, driver psycopg) and the shared table metadata of `ops`."""

from __future__ import annotations

from sqlalchemy import Engine, MetaData, create_engine

from warehouse.connection import url
from warehouse.settings import Settings

metadata = MetaData(schema="ops")


def make_engine(
    settings: Settings, *, pool_size: int = 20, pre_ping: bool = True, options: str | None = None
) -> Engine:
    """An engine that connects as the least-privileged `api` role.

    `pre_ping` tests each connection as it leaves the pool (one round trip); device ingestion
    turns it off, since a dead connection there costs one failed post the device retries.
    `options` are server settings for its sessions (libpq `options`)."""
    return create_engine(
        url(settings, "api", "warehouse", "psycopg"),
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_pre_ping=pre_ping,
        connect_args={
            "application_name": "eldercare-api",
            **({"options": options} if options else {}),
        },
    )
