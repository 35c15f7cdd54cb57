"""Loading one delivered file into raw, with lineage, in one transaction, at most once.

The file's rows are staged as delivered (ingestion/staging.py); one statement then finds
duplicates, cleans every row with the feed's CLEANING (SQL functions of
ingestion/sql/cleaning.sql), inserts the usable rows into the feed's raw table and the rest
into quarantine.rejected_rows with a reason and their original content. Per-row Python was
the bottleneck before (about 5,000 rows/s); set-based SQL leaves Python only the parsing.
A file that cannot be read at all goes to quarantine.rejected_files and is tried again on
the next run (after, say, a renamed column is configured). Either way the load log says
delivered = loaded + quarantined.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from types import ModuleType

import psycopg
from psycopg import sql

from ingestion.landing import Delivery
from ingestion.reading import FileRejected
from ingestion.row_counts import count_rows
from ingestion.staging import STAGE, stage
from ingestion.tables import (
    LINEAGE_COLUMNS,
    LOAD_LOG_DDL,
    QUARANTINE_DDL,
    apply_ddl,
    cleaning_ddl,
    ddl_digest,
    feed_table_ddl,
    is_applied,
)
from warehouse.settings import FeedSettings

DUPLICATE_KEY_IGNORES = {"row_number"}  # a roster's running number differs between duplicates
# Rejections after which the file's rows cannot honestly be counted (0 delivered).
UNREADABLE = {
    "empty_file",
    "not_text",
    "wrong_encoding",
    "unreadable_workbook",
    "malformed_file",
}
# The rows a module's CLEANING selects from, as `rows r`: source_row, problem_reason,
# problem_message (a row that could not be read, or a duplicate), line, every field in
# FIELDS (as text, null when blank or not delivered). Names resolve to codes through
# raw.region_names of load batch %(regions)s. CLEANING returns r.*, reject_reason,
# reject_message, the CLEAN_COLUMNS and issues.
STATEMENT = """
with staged as (
    select source_row, problem_reason, problem_message, c1 as line, {fields} from pg_temp.{stage}
),
rows as (
    select source_row, line, {field_names},
        coalesce(problem_reason, case when first_row <> source_row then 'duplicate_row' end)
            as problem_reason,
        coalesce(problem_message, case when first_row <> source_row
                 then 'the same as row ' || first_row || ' of this file' end) as problem_message
    from (
        select *, case when problem_reason is null then min(source_row) over (
            partition by problem_reason is null, {duplicate_key}) end as first_row
        from staged
    ) as numbered
),
cleaned as ({cleaning}),
loaded as (
    insert into {table} ({lineage}, source_row, {columns}, issues)
    select %(source)s, %(source_file)s, %(batch)s, %(sha256)s, %(loaded_at)s,
           source_row, {columns}, issues
    from cleaned where problem_reason is null and reject_reason is null
    returning 1
),
quarantined as (
    insert into quarantine.rejected_rows
        (load_batch, source, source_file, source_row, reason, message, original)
    select %(batch)s, %(source)s, %(source_file)s, source_row,
           coalesce(problem_reason, reject_reason), coalesce(problem_message, reject_message),
           case when line is not null and problem_reason is not null
                     and problem_reason <> 'duplicate_row' then jsonb_build_object('line', line)
                else jsonb_build_object({original}) end
    from cleaned where problem_reason is not null or reject_reason is not null
    returning 1
)
select (select count(*) from staged), (select count(*) from loaded),
       (select count(*) from quarantined)
"""


@dataclass(frozen=True)
class LoadResult:
    source_file: str
    status: str  # loaded | rejected | skipped (the same bytes were loaded before)
    delivered: int = 0
    loaded: int = 0
    quarantined: int = 0
    message: str = ""
    seconds: tuple[float, float] = (0.0, 0.0)  # reading and staging; cleaning and inserting


def ensure_tables(conn: psycopg.Connection, module: ModuleType) -> None:
    """The load log, quarantine, the feed's table and the cleaning functions, as this code
    has them; when the store has them already, nothing is locked (safe beside a load)."""
    statements = [
        LOAD_LOG_DDL,
        *QUARANTINE_DDL,
        feed_table_ddl(module.TABLE, module.FIELDS, module.CLEAN_COLUMNS),
        cleaning_ddl(),
    ]
    digest = ddl_digest(statements)
    with conn.cursor() as cur:
        if not is_applied(cur, module.TABLE, digest):
            apply_ddl(cur, module.TABLE, digest, statements)


def _statement(module: ModuleType, positions: dict[str, int]) -> sql.Composed:
    """The clean-and-insert statement for a file whose fields sit at these positions."""
    ident = sql.Identifier
    fields = [
        sql.SQL("raw.as_text({}) as {}").format(ident(f"c{positions[name] + 1}"), ident(name))
        if name in positions
        else sql.SQL("null::text as {}").format(ident(name))
        for name in module.FIELDS
    ]
    key = [ident(name) for name in module.FIELDS if name not in DUPLICATE_KEY_IGNORES]
    original = [
        sql.SQL("{}, {}").format(sql.Literal(name), ident(name))
        for name in module.FIELDS
        if name in positions
    ]
    return sql.SQL(STATEMENT).format(
        stage=ident(STAGE),
        fields=sql.SQL(", ").join(fields),
        field_names=sql.SQL(", ").join(map(ident, module.FIELDS)),
        duplicate_key=sql.SQL(", ").join(key),
        cleaning=sql.SQL(module.CLEANING),
        table=sql.SQL(module.TABLE),
        lineage=sql.SQL(", ").join(map(ident, LINEAGE_COLUMNS)),
        columns=sql.SQL(", ").join(
            map(ident, (*module.FIELDS, *(name for name, _ in module.CLEAN_COLUMNS)))
        ),
        original=sql.SQL(", ").join(original),
    )


def _stage_and_clean(cur, module, feed, delivery, parameters) -> tuple[tuple, tuple]:
    """(delivered, loaded, quarantined), and the seconds spent staging and cleaning."""
    began = time.perf_counter()
    delivered = module.read(delivery.path, feed)
    stage(cur, delivered, cells_as_text=getattr(module, "TYPED_CELLS", False))
    staged = time.perf_counter()
    cur.execute(_statement(module, delivered.fields), parameters)
    counts = cur.fetchone()
    return counts, (staged - began, time.perf_counter() - staged)


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
    conn: psycopg.Connection,
    delivery: Delivery,
    module: ModuleType,
    feed: FeedSettings,
    regions: int | None,
) -> LoadResult:
    """Load one file, cleaned against the reference regions of load batch `regions`; the
    same bytes under any name load once per delivery month."""
    sha256 = delivery.sha256()
    with conn.transaction(), conn.cursor() as cur:
        batch = _start_batch(cur, delivery, sha256)
        if batch is None:
            return LoadResult(delivery.source_file, "skipped")
        parameters = {
            "regions": regions,
            "source": delivery.source,
            "source_file": delivery.source_file,
            "file_name": delivery.path.name,
            "month": delivery.month,
            "batch": batch,
            "sha256": sha256,
            "loaded_at": datetime.now(UTC),
        }
        try:
            with conn.transaction():
                counts, seconds = _stage_and_clean(cur, module, feed, delivery, parameters)
        except FileRejected as exc:
            return _reject_file(cur, delivery, batch, sha256, exc)
        cur.execute(
            "update raw.load_log set delivered = %s, loaded = %s, quarantined = %s"
            " where load_batch = %s",
            (*counts, batch),
        )
    return LoadResult(delivery.source_file, "loaded", *counts, seconds=seconds)


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
