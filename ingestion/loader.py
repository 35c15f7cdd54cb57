"""Loading one delivered file into raw, with lineage, in one transaction, at most once.

Rows that cannot be used go to quarantine.rejected_rows with a reason and their original
content; a file that cannot be read at all goes to quarantine.rejected_files and is tried
again on the next run (after, say, a renamed column is configured). Either way the load log
says delivered = loaded + quarantined.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from types import ModuleType

import psycopg
from psycopg import sql
from psycopg.types.json import Jsonb

from ingestion.landing import Delivery
from ingestion.reading import FileContext, FileRejected, as_text
from ingestion.row_counts import count_rows
from ingestion.tables import LINEAGE_COLUMNS, LOAD_LOG_DDL, QUARANTINE_DDL, feed_table_ddl
from warehouse.settings import FeedSettings

DUPLICATE_KEY_IGNORES = {"row_number"}
# Rejections after which the file's rows cannot honestly be counted (0 delivered).
UNREADABLE = {
    "empty_file",
    "not_text",
    "wrong_encoding",
    "unreadable_workbook",
    "malformed_file",
}  # a roster's running number differs between duplicates


@dataclass(frozen=True)
class LoadResult:
    source_file: str
    status: str  # loaded | rejected | skipped (the same bytes were loaded before)
    delivered: int = 0
    loaded: int = 0
    quarantined: int = 0
    message: str = ""


def ensure_tables(conn: psycopg.Connection, module: ModuleType) -> None:
    with conn.cursor() as cur:
        cur.execute(LOAD_LOG_DDL)
        for statement in QUARANTINE_DDL:
            cur.execute(statement)
        cur.execute(feed_table_ddl(module.TABLE, module.FIELDS, module.CLEAN_COLUMNS))


def _copy_rows(cur, module, feed, context, lineage) -> tuple[int, int, list[tuple]]:
    """COPY usable rows; return (delivered, loaded, quarantined rows to insert after)."""
    clean_names = [name for name, _ in module.CLEAN_COLUMNS]
    columns = (*LINEAGE_COLUMNS, "source_row", *module.FIELDS, *clean_names, "issues")
    statement = sql.SQL("copy {} ({}) from stdin").format(
        sql.SQL(module.TABLE), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    seen: dict[tuple, int] = {}
    quarantined: list[tuple] = []
    delivered = loaded = 0
    with cur.copy(statement) as copy:
        for row in module.read(context.path, feed):
            delivered += 1
            reject = row.problem
            text = {name: as_text(value) for name, value in row.values.items()}
            if reject is None:
                key = tuple(v for k, v in text.items() if k not in DUPLICATE_KEY_IGNORES)
                first = seen.setdefault(key, row.locator)
                if first != row.locator:
                    reject = ("duplicate_row", f"the same as row {first} of this file")
            if reject is None:
                cleaned = module.clean(row.values, context)
                reject = cleaned.reject
            if reject is not None:
                quarantined.append((row.locator, *reject, Jsonb(text)))
                continue
            delivered_text = [text.get(name) for name in module.FIELDS]
            clean_values = [cleaned.columns.get(name) for name in clean_names]
            copy.write_row((*lineage, row.locator, *delivered_text, *clean_values, cleaned.issues))
            loaded += 1
    return delivered, loaded, quarantined


def _start_batch(cur, delivery: Delivery, sha256: str) -> int | None:
    """A new load batch, or None when these bytes are loaded already."""
    cur.execute("select pg_advisory_xact_lock(hashtext(%s))", (sha256,))
    same = "sha256 = %s and delivery_month is not distinct from %s"
    cur.execute(f"select status from raw.load_log where {same}", (sha256, delivery.month))
    found = cur.fetchone()
    if found and found[0] == "loaded":
        return None
    cur.execute(f"delete from raw.load_log where {same}", (sha256, delivery.month))  # rejected
    cur.execute(
        "insert into raw.load_log (source, source_file, sha256, delivery_month, status,"
        " delivered, loaded, quarantined) values (%s, %s, %s, %s, 'loaded', 0, 0, 0)"
        " returning load_batch",
        (delivery.source, delivery.source_file, sha256, delivery.month),
    )
    return cur.fetchone()[0]


def load_delivery(
    conn: psycopg.Connection, delivery: Delivery, module: ModuleType, feed: FeedSettings, regions
) -> LoadResult:
    """Load one file; the same bytes under any name load once per delivery month."""
    sha256 = delivery.sha256()
    context = FileContext(delivery.source_file, delivery.month, regions, delivery.path)
    with conn.transaction(), conn.cursor() as cur:
        batch = _start_batch(cur, delivery, sha256)
        if batch is None:
            return LoadResult(delivery.source_file, "skipped")
        lineage = (delivery.source, delivery.source_file, batch, sha256, datetime.now(UTC))
        try:
            with conn.transaction():
                delivered, loaded, quarantined = _copy_rows(cur, module, feed, context, lineage)
        except FileRejected as exc:
            return _reject_file(cur, delivery, batch, sha256, exc)
        cur.executemany(
            "insert into quarantine.rejected_rows (load_batch, source, source_file, source_row,"
            " reason, message, original) values (%s, %s, %s, %s, %s, %s, %s)",
            [(batch, delivery.source, delivery.source_file, *row) for row in quarantined],
        )
        cur.execute(
            "update raw.load_log set delivered = %s, loaded = %s, quarantined = %s"
            " where load_batch = %s",
            (delivered, loaded, len(quarantined), batch),
        )
    return LoadResult(delivery.source_file, "loaded", delivered, loaded, len(quarantined))


def _reject_file(cur, delivery, batch, sha256, error: FileRejected) -> LoadResult:
    """Quarantine the whole file: its rows count as delivered and quarantined, none loaded."""
    readable = error.reason not in UNREADABLE
    rows = count_rows(delivery.path, delivery.source) if readable else 0
    cur.execute(
        "insert into quarantine.rejected_files (load_batch, source, source_file, sha256, reason,"
        " message) values (%s, %s, %s, %s, %s, %s)",
        (batch, delivery.source, delivery.source_file, sha256, error.reason, str(error)),
    )
    cur.execute(
        "update raw.load_log set status = 'rejected', delivered = %s, loaded = 0,"
        " quarantined = %s where load_batch = %s",
        (rows, rows, batch),
    )
    return LoadResult(delivery.source_file, "rejected", rows, 0, rows, str(error))
