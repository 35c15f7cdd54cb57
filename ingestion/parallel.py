"""Loading a month's files side by side: one connection per worker. With two cores, one
file's reading (Python) overlaps another's cleaning (SQL).

Small files (an institution's roster of a few dozen residents) go in chunks of a month's
files, each chunk one transaction and, per layout, one cleaning statement: planning that
statement once per file cost more than the cleaning. Each file keeps its own load batch,
counts and quarantine (ingestion/loader.py). Months load in order, so load batches still
follow delivery months (a full extract before its deltas), which golden records use as
their last tie-break.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from itertools import groupby
from types import ModuleType

from ingestion.landing import Delivery
from ingestion.loader import LoadResult, load_deliveries
from warehouse.connection import connect
from warehouse.settings import FeedSettings, Settings

WORKERS = 2  # this machine's cores
CHUNK_BYTES = 256 * 1024  # delivered bytes a chunk gathers at most, unless one file is larger


def chunks(month: list[Delivery], workers: int = WORKERS) -> list[list[Delivery]]:
    """Consecutive files of a month in chunks of at most CHUNK_BYTES, and at least one chunk
    a worker when there are as many files (so no worker idles)."""
    sizes = [delivery.path.stat().st_size for delivery in month]
    budget = min(CHUNK_BYTES, sum(sizes) // workers + 1)
    found: list[list[Delivery]] = []
    total = 0
    for delivery, size in zip(month, sizes, strict=True):
        if not found or total + size > budget:
            found.append([])
            total = 0
        found[-1].append(delivery)
        total += size
    return found


def load_in_parallel(
    settings: Settings,
    todo: list[Delivery],
    module: ModuleType,
    feed: FeedSettings,
    regions: int | None,
    workers: int = WORKERS,
) -> Iterator[LoadResult]:
    """Results in delivery order, as each month's files finish."""
    local = threading.local()
    opened = []
    lock = threading.Lock()

    def load(chunk: list[Delivery]) -> list[LoadResult]:
        if not hasattr(local, "conn"):
            local.conn = connect(settings)
            with lock:
                opened.append(local.conn)
        return load_deliveries(local.conn, chunk, module, feed, regions)

    try:
        with ThreadPoolExecutor(workers) as pool:
            for _, month in groupby(todo, key=lambda delivery: delivery.month):
                for results in pool.map(load, chunks(list(month), workers)):
                    yield from results
    finally:
        for conn in opened:
            conn.close()
