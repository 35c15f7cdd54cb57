"""The feeds and their loading: the entry points the pipeline calls."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import psycopg

from ingestion import civil_affairs, gov_services, institutions, public_security, regions
from ingestion.landing import Delivery, deliveries
from ingestion.loader import LoadResult, ensure_tables, load_delivery
from ingestion.parallel import load_in_parallel
from warehouse.settings import FeedSettings, Settings

FEEDS = {
    module.SOURCE: module for module in (public_security, civil_affairs, institutions, gov_services)
}
REFERENCE_FILE = "reference/regions.csv"
REGION_FEED = FeedSettings(
    columns={name: name for name in regions.FIELDS}, required=("code", "name", "level")
)


def load_regions(conn: psycopg.Connection, landing_root: Path) -> LoadResult | None:
    """Load reference/regions.csv (a changed file is a new delivery); None when absent."""
    path = landing_root / REFERENCE_FILE
    ensure_tables(conn, regions)
    conn.commit()
    if not path.exists():
        return None
    delivery = Delivery(regions.SOURCE, None, path, REFERENCE_FILE)
    return load_delivery(conn, delivery, regions, REGION_FEED, None)


def regions_batch(conn: psycopg.Connection) -> int | None:
    """The load batch of the latest loaded reference file, which feeds resolve names against,
    with its names ready for lookup (raw.region_names)."""
    ensure_tables(conn, regions)
    conn.execute(regions.NAMES_DDL)
    batch = conn.execute(
        "select max(load_batch) from raw.load_log where source = 'reference' and status = 'loaded'"
    ).fetchone()[0]
    if conn.execute(regions.FILL_NAMES, {"batch": batch}).rowcount:
        conn.execute("analyze raw.region_names")
    conn.commit()
    return batch


def load_source(
    conn: psycopg.Connection,
    settings: Settings,
    source: str,
    landing_root: Path,
    month: str | None = None,
    progress: Callable[[LoadResult], None] | None = None,
) -> list[LoadResult]:
    """Load the source's deliveries not loaded yet; each file in its own transaction, the
    files of a month side by side (ingestion/parallel.py)."""
    module = FEEDS[source]
    ensure_tables(conn, module)
    conn.commit()
    batch = regions_batch(conn)
    todo = deliveries(landing_root, source, month)
    results = []
    for result in load_in_parallel(settings, todo, module, settings.feeds[source], batch):
        results.append(result)
        if progress:
            progress(result)
    return results
