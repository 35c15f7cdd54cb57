"""Loading one delivered file into raw, with lineage, in one transaction, at most once."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import psycopg
from psycopg import sql

from ingestion.landing import Delivery
from ingestion.tables import LOAD_LOG_DDL, feed_table_ddl


@dataclass(frozen=True)
class LoadResult:
    source_file: str
    status: str  # loaded | skipped (same bytes already loaded)
    delivered: int = 0
    loaded: int = 0
    quarantined: int = 0


def ensure_tables(conn: psycopg.Connection, table: str, fields: tuple[str, ...]) -> None:
    with conn.cursor() as cur:
        cur.execute(LOAD_LOG_DDL)
        cur.execute(feed_table_ddl(table, fields))


def load_delivery(
    conn: psycopg.Connection,
    delivery: Delivery,
    table: str,
    fields: tuple[str, ...],
    read_rows: Callable[[], Iterable[tuple[int, dict[str, str]]]],
) -> LoadResult:
    """COPY the file's rows into `table`; the same bytes under any name load once."""
    sha256 = delivery.sha256()
    with conn.transaction(), conn.cursor() as cur:
        cur.execute("select pg_advisory_xact_lock(hashtext(%s))", (sha256,))
        cur.execute("select 1 from raw.load_log where sha256 = %s", (sha256,))
        if cur.fetchone():
            return LoadResult(delivery.source_file, "skipped")
        cur.execute(
            "insert into raw.load_log (source, source_file, sha256, delivery_month,"
            " delivered, loaded, quarantined) values (%s, %s, %s, %s, 0, 0, 0)"
            " returning load_batch",
            (delivery.source, delivery.source_file, sha256, delivery.month),
        )
        batch = cur.fetchone()[0]
        lineage = (delivery.source, delivery.source_file, batch, sha256, datetime.now(UTC))
        columns = ("source", "source_file", "load_batch", "file_sha256", "loaded_at", "source_row")
        target = sql.SQL("copy {} ({}) from stdin").format(
            sql.SQL(table), sql.SQL(", ").join(map(sql.Identifier, (*columns, *fields)))
        )
        delivered = 0
        with cur.copy(target) as copy:
            for row in _with_lineage(read_rows(), lineage, fields):
                copy.write_row(row)
                delivered += 1
        cur.execute(
            "update raw.load_log set delivered = %s, loaded = %s where load_batch = %s",
            (delivered, delivered, batch),
        )
    return LoadResult(delivery.source_file, "loaded", delivered, delivered, 0)


def _with_lineage(
    rows: Iterable[tuple[int, dict[str, str]]], lineage: tuple, fields: tuple[str, ...]
) -> Iterator[tuple]:
    for number, values in rows:
        yield (*lineage, number, *(values.get(field) or None for field in fields))
