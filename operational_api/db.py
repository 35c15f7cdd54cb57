"""The API's engine (role `api`, driver psycopg) and the shared table metadata of `ops`."""

from __future__ import annotations

import time

from sqlalchemy import Engine, MetaData, create_engine, event, exc

from warehouse.connection import url
from warehouse.settings import Settings

metadata = MetaData(schema="ops")
IDLE_PING_SECONDS = 10.0


def make_engine(settings: Settings, *, pool_size: int = 20, options: str | None = None) -> Engine:
    """An engine that connects as the least-privileged `api` role.

    `options` are server settings for its sessions (libpq `options`)."""
    engine = create_engine(
        url(settings, "api", "warehouse", "psycopg"),
        pool_size=pool_size,
        max_overflow=pool_size,
        connect_args={
            "application_name": "eldercare-api",
            **({"options": options} if options else {}),
        },
    )
    _ping_when_idle(engine)
    return engine


def _ping_when_idle(engine: Engine) -> None:
    """Test a connection as it leaves the pool only if it sat idle for a while.

    A ping on every checkout (`pool_pre_ping`) is a round trip on every request; a connection
    in steady use was working a moment ago. One that sat idle may have been cut (a restarted
    server): it is pinged, and a dead one is replaced before the request gets it."""

    @event.listens_for(engine, "checkin")
    def _idle_from(dbapi_connection, record) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping(dbapi_connection, record, proxy) -> None:
        idle_since = record.info.get("idle_since")
        if idle_since is None or time.monotonic() - idle_since < IDLE_PING_SECONDS:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as error:
            raise exc.DisconnectionError() from error  # the pool retries with a new connection
