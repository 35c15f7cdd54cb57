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
from ingestion.staging import STAGE, create_stage, stage
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
# The rows a module's CLEANING selects from, as `rows r`: load_batch, source_file, file_name,
# file_sha256 (of the file the row came from), source_row, problem_reason, problem_message
# (a row that could not be read, or a duplicate), line, every field in FIELDS (as text, null
# when blank or not delivered). It may also select from `files` (load_batch, source_file,
# file_name, file_sha256), one row per file, for what is the same for a file's rows. Names
# resolve to codes through raw.region_names of load batch %(regions)s. CLEANING returns r.*,
# reject_reason, reject_message, the CLEAN_COLUMNS and issues. The statement returns the
# counts per file: load_batch, delivered, loaded, quarantined.
STATEMENT = """
with files as (
    select * from unnest(%(batches)s::bigint[], %(source_files)s::text[],
                         %(file_names)s::text[], %(shas)s::text[])
        as f (load_batch, source_file, file_name, file_sha256)
),
staged as (
    select load_batch, source_row, problem_reason, problem_message, c1 as line, {fields}
    from pg_temp.{stage}
),
rows as (
    select load_batch, f.source_file, f.file_name, f.file_sha256, source_row, line,
        {field_names},
        coalesce(problem_reason, case when d.first_row <> source_row then 'duplicate_row' end)
            as problem_reason,
        coalesce(problem_message, case when d.first_row <> source_row
                 then 'the same as row ' || d.first_row || ' of this file' end) as problem_message
    from (
        select *, case when problem_reason is null then row({duplicate_key})::text end as key
        from staged
    ) as s
    -- Rows delivered more than once in a file: equal fields give equal text (a record's text
    -- quotes its fields and leaves nulls empty), grouped by hashing; sorting the wide rows
    -- for a window cost about twice as much.
    left join (
        select load_batch, key, min(source_row) as first_row
        from (
            select load_batch, source_row, row({duplicate_key})::text as key
            from staged where problem_reason is null
        ) as keyed
        group by load_batch, key having count(*) > 1
    ) as d using (load_batch, key)
    left join files as f using (load_batch)  -- always found; a left join keeps the estimate
),
cleaned as ({cleaning}),
loaded as (
    insert into {table} ({lineage}, source_row, {columns}, issues)
    select %(source)s, source_file, load_batch, file_sha256, %(loaded_at)s,
           source_row, {columns}, issues
    from cleaned where problem_reason is null and reject_reason is null
    returning load_batch
),
quarantined as (
    insert into quarantine.rejected_rows
        (load_batch, source, source_file, source_row, reason, message, original)
    select load_batch, %(source)s, source_file, source_row,
           coalesce(problem_reason, reject_reason), coalesce(problem_message, reject_message),
           case when line is not null and problem_reason is not null
                     and problem_reason <> 'duplicate_row' then jsonb_build_object('line', line)
                else jsonb_build_object({original}) end
    from cleaned where problem_reason is not null or reject_reason is not null
    returning load_batch
)
select load_batch, count(*) filter (where counted = 'delivered'),
       count(*) filter (where counted = 'loaded'), count(*) filter (where counted = 'quarantined')
from (
    select load_batch, 'delivered' as counted from staged
    union all select load_batch, 'loaded' from loaded
    union all select load_batch, 'quarantined' from quarantined
) as counts
group by load_batch
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


def _lock_contents(cur, shas: list[str]) -> None:
    """Each content hash's lock, in one order for every session (no two wait on each other)."""
    cur.execute(
        "select pg_advisory_xact_lock(key) from (select distinct hashtext(sha) as key"
        " from unnest(%s::text[]) as sha order by key) as keys",
        (shas,),
    )


def _start_batch(cur, delivery: Delivery, sha256: str) -> int | None:
    """A new load batch, or None when these bytes are loaded already (content locked)."""
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


@dataclass
class _Staged:
    """Files of one layout staged together, waiting for their cleaning statement."""

    fields: dict[str, int]
    width: int
    files: list[tuple[int, Delivery, int, str, float]]  # index, delivery, batch, sha, seconds


def _clean(cur, module, staged: _Staged, parameters: dict) -> dict[int, LoadResult]:
    """Clean and insert the staged files' rows and log their counts; results by index."""
    if not staged.files:
        return {}
    began = time.perf_counter()
    indexes, deliveries, batches, shas, staging = map(list, zip(*staged.files, strict=True))
    files = {
        "batches": batches,
        "source_files": [delivery.source_file for delivery in deliveries],
        "file_names": [delivery.path.name for delivery in deliveries],
        "shas": shas,
    }
    # The cleaners are lateral subqueries over values that are nearly all distinct: a Memoize
    # the planner puts over them misses on almost every row and costs more than it saves.
    cur.execute("set local enable_memoize = off")
    cur.execute(_statement(module, staged.fields), {**parameters, **files})
    found = {batch: tuple(counts) for batch, *counts in cur.fetchall()}
    counts = [found.get(batch, (0, 0, 0)) for batch in batches]
    cur.execute(
        "update raw.load_log as log set delivered = c.delivered, loaded = c.loaded,"
        " quarantined = c.quarantined from unnest(%s::bigint[], %s::int[], %s::int[],"
        " %s::int[]) as c (load_batch, delivered, loaded, quarantined)"
        " where log.load_batch = c.load_batch",
        (batches, *map(list, zip(*counts, strict=True))),
    )
    seconds = time.perf_counter() - began
    rows = sum(delivered for delivered, _, _ in counts) or 1  # the statement's time, shared
    return {
        index: LoadResult(
            delivery.source_file, "loaded", *count, seconds=(read, seconds * count[0] / rows)
        )
        for index, delivery, count, read in zip(indexes, deliveries, counts, staging, strict=True)
    }


def load_deliveries(
    conn: psycopg.Connection,
    deliveries: list[Delivery],
    module: ModuleType,
    feed: FeedSettings,
    regions: int | None,
) -> list[LoadResult]:
    """Load files of one delivery month in one transaction, cleaned against the reference
    regions of load batch `regions`; the same bytes under any name load once per month.

    Each file keeps its own load batch, lineage, counts and quarantine, as if loaded alone;
    files of one layout share a stage and a cleaning statement (planning that statement costs
    more than cleaning a small file).
    """
    shas = [delivery.sha256() for delivery in deliveries]
    results: dict[int, LoadResult] = {}
    parameters = {"regions": regions, "source": module.SOURCE, "loaded_at": datetime.now(UTC),
                  "month": deliveries[0].month if deliveries else None}  # fmt: skip
    staged = None
    with conn.transaction(), conn.cursor() as cur:
        _lock_contents(cur, shas)
        for index, (delivery, sha256) in enumerate(zip(deliveries, shas, strict=True)):
            batch = _start_batch(cur, delivery, sha256)
            if batch is None:
                results[index] = LoadResult(delivery.source_file, "skipped")
                continue
            began = time.perf_counter()
            try:
                delivered = module.read(delivery.path, feed)
                width = max(delivered.width, 1)
                if staged is None or (staged.fields, staged.width) != (delivered.fields, width):
                    if staged:
                        results.update(_clean(cur, module, staged, parameters))
                    staged = _Staged(delivered.fields, width, [])
                    create_stage(cur, width)
                with conn.transaction():  # a file rejected half-way leaves nothing staged
                    typed = getattr(module, "TYPED_CELLS", False)
                    stage(cur, delivered, batch, width, cells_as_text=typed)
            except FileRejected as exc:
                results[index] = _reject_file(cur, delivery, batch, sha256, exc)
                continue
            staged.files.append((index, delivery, batch, sha256, time.perf_counter() - began))
        if staged:
            results.update(_clean(cur, module, staged, parameters))
    return [results[index] for index in range(len(deliveries))]


def load_delivery(
    conn: psycopg.Connection,
    delivery: Delivery,
    module: ModuleType,
    feed: FeedSettings,
    regions: int | None,
) -> LoadResult:
    """Load one file in its own transaction (load_deliveries)."""
    return load_deliveries(conn, [delivery], module, feed, regions)[0]


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
