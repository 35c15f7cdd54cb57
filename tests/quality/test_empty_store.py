"""Linkage of a store that has had no delivery yet."""

from __future__ import annotations

from datetime import date

from quality.linkage.run import link
from tests.quality.linkage_support import reset_raw
from warehouse.connection import connect


def test_an_empty_raw_layer_links_to_empty_tables(settings):
    reset_raw(settings)
    summary = link(settings, date(2026, 10, 31))
    assert (summary.records, summary.elders, summary.review_queue) == (0, 0, 0)
    with connect(settings) as conn:
        counts = [
            conn.execute(f"select count(*) from linkage.{table}").fetchone()[0]
            for table in ("elders", "elder_xref", "exclusions", "review_queue")
        ]
    assert counts == [0, 0, 0, 0]
