"""Loading a month's files side by side: one connection per worker, each file still one
transaction. With two cores, one file's reading (Python) overlaps another's cleaning (SQL).

Months load in order, so load batches still follow delivery months (a full extract before
its deltas), which golden records use as their last tie-break.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from itertools import groupby
from types import ModuleType

from ingestion.landing import Delivery
from ingestion.loader import LoadResult, load_delivery
from warehouse.connection import connect
from warehouse.settings import FeedSettings, Settings

WORKERS = 2  # this machine's cores


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

    def load(delivery: Delivery) -> LoadResult:
        if not hasattr(local, "conn"):
            local.conn = connect(settings)
            with lock:
                opened.append(local.conn)
        return load_delivery(local.conn, delivery, module, feed, regions)

    try:
        with ThreadPoolExecutor(workers) as pool:
            for _, month in groupby(todo, key=lambda delivery: delivery.month):
                yield from pool.map(load, list(month))
    finally:
        for conn in opened:
            conn.close()
