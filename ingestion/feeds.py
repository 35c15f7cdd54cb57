"""Loading every delivery of a source: the entry point the pipeline calls."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import psycopg

from ingestion import public_security
from ingestion.landing import deliveries
from ingestion.loader import LoadResult, ensure_tables, load_delivery
from warehouse.settings import Settings

READERS = {public_security.SOURCE: public_security}


def load_source(
    conn: psycopg.Connection,
    settings: Settings,
    source: str,
    landing_root: Path,
    month: str | None = None,
    progress: Callable[[LoadResult], None] | None = None,
) -> list[LoadResult]:
    """Load the source's deliveries not loaded yet; each file in its own transaction."""
    reader = READERS[source]
    feed = settings.feeds[source]
    ensure_tables(conn, reader.TABLE, reader.FIELDS)
    conn.commit()
    results = []
    for delivery in deliveries(landing_root, source, month):
        result = load_delivery(
            conn,
            delivery,
            reader.TABLE,
            reader.FIELDS,
            lambda delivery=delivery: reader.read_rows(delivery.path, feed),
        )
        results.append(result)
        if progress:
            progress(result)
    return results
