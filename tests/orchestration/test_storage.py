"""Dagster's event log writes over held connections: a connection to the store costs ~11 ms,
and Dagster's own PostgreSQL event log opens one per event."""

import time

import dagster as dg

from orchestration.home import prepare_dagster_home
from warehouse.connection import connect

EVENTS = 40


def _sessions(settings) -> int:
    """Connections ever opened to Dagster's database (a fresh reader, so no cached stats)."""
    time.sleep(0.5)  # a closed connection reports itself as it exits
    with connect(settings, "admin", "postgres") as conn:
        return conn.execute(
            "select sessions from pg_stat_database where datname = %s",
            (settings.store.databases.dagster,),
        ).fetchone()[0]


def test_storing_events_does_not_open_a_connection_per_event(settings):
    prepare_dagster_home(settings)
    with dg.DagsterInstance.get() as instance:
        instance.report_runless_asset_event(dg.AssetMaterialization("storage_probe"))
        before = _sessions(settings)
        for number in range(EVENTS):
            instance.report_runless_asset_event(
                dg.AssetMaterialization("storage_probe", metadata={"number": number})
            )
        opened = _sessions(settings) - before
        stored = instance.fetch_materializations(dg.AssetKey("storage_probe"), limit=100)
    assert len(stored.records) == EVENTS + 1
    assert opened < 5, f"{opened} connections for {EVENTS} events"
