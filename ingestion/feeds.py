"""The feeds and their loading: the entry points the pipeline calls."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import psycopg

from ingestion import civil_affairs, gov_services, institutions, public_security, regions
from ingestion.landing import Delivery, deliveries
from ingestion.loader import LoadResult, ensure_tables, load_delivery
from ingestion.regions import RegionIndex
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
    return load_delivery(conn, delivery, regions, REGION_FEED, RegionIndex())


def region_index(conn: psycopg.Connection) -> RegionIndex:
    """The divisions of the latest loaded reference file."""
    ensure_tables(conn, regions)
    rows = conn.execute(
        "select code, name, level, coalesce(parent_code, '') from raw.reference_regions"
        " where load_batch = (select max(load_batch) from raw.load_log"
        "   where source = 'reference' and status = 'loaded')"
    ).fetchall()
    return RegionIndex.from_rows(rows)


def load_source(
    conn: psycopg.Connection,
    settings: Settings,
    source: str,
    landing_root: Path,
    month: str | None = None,
    progress: Callable[[LoadResult], None] | None = None,
) -> list[LoadResult]:
    """Load the source's deliveries not loaded yet; each file in its own transaction."""
    module = FEEDS[source]
    ensure_tables(conn, module)
    conn.commit()
    index = region_index(conn)
    results = []
    for delivery in deliveries(landing_root, source, month):
        result = load_delivery(conn, delivery, module, settings.feeds[source], index)
        results.append(result)
        if progress:
            progress(result)
    return results
