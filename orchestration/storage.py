"""Dagster's event log in the platform's PostgreSQL over connections held open.

Dagster's PostgreSQL event log opens and closes a connection for every event it stores (its
engine has no pool), and a connection to the store costs about 11 ms here (SCRAM
authentication and a new server process): a run of the sample stored 1,000 events through
2,700 connections, about 33 s of a 115 s run. This storage keeps a small pool instead, in
every process that writes events (the CLI runner, run workers launched from the UI or by
sensors, the daemon), as Dagster's webserver already does for itself.
"""

from __future__ import annotations

from dagster_postgres import PostgresEventLogStorage
from dagster_postgres.utils import pg_url_from_config

POOL_RECYCLE_SECONDS = 3600
POOL_OVERFLOW = 4  # beyond the one held connection, for a runner's watcher thread


class PooledEventLogStorage(PostgresEventLogStorage):
    """PostgresEventLogStorage with one connection held and a few more allowed."""

    def __init__(self, postgres_url: str, should_autocreate_tables: bool = True, inst_data=None):
        super().__init__(postgres_url, should_autocreate_tables, inst_data)
        # despite the name, this only swaps the engine for a pooled one (no statement timeout)
        self.optimize_for_webserver(
            statement_timeout=0, pool_recycle=POOL_RECYCLE_SECONDS, max_overflow=POOL_OVERFLOW
        )

    @classmethod
    def from_config_value(cls, inst_data, config_value) -> PooledEventLogStorage:
        return cls(
            pg_url_from_config(config_value),
            config_value.get("should_autocreate_tables", True),
            inst_data,
        )
