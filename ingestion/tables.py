"""DDL of the raw and quarantine layers: the load log, feed tables and quarantine tables."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from stdnum import numdb

LOAD_LOG_DDL = """
create table if not exists raw.load_log (
    load_batch bigint generated always as identity primary key,
    source text not null,
    source_file text not null,
    sha256 char(64) not null,
    delivery_month char(7),
    status text not null check (status in ('loaded', 'rejected')),
    delivered integer not null,
    loaded integer not null,
    quarantined integer not null,
    loaded_at timestamptz not null default now(),
    constraint counts_add_up check (delivered = loaded + quarantined)
);
-- The same bytes load once per delivery month: an institution whose roster did not change
-- delivers identical files in consecutive months, and each month's presence counts.
create unique index if not exists load_log_once_per_month
    on raw.load_log (sha256, coalesce(delivery_month, ''));
-- Stores made before loads were counted per month had one load per content hash.
alter table raw.load_log drop constraint if exists load_log_sha256_key
"""

QUARANTINE_DDL = (
    """
    create table if not exists quarantine.rejected_rows (
        load_batch bigint not null references raw.load_log (load_batch) on delete cascade,
        source text not null,
        source_file text not null,
        source_row integer not null,
        reason text not null,
        message text not null,
        original jsonb not null,
        primary key (load_batch, source_row)
    )
    """,
    """
    create table if not exists quarantine.rejected_files (
        load_batch bigint primary key references raw.load_log (load_batch) on delete cascade,
        source text not null,
        source_file text not null,
        sha256 char(64) not null,
        reason text not null,
        message text not null,
        rejected_at timestamptz not null default now()
    )
    """,
)

LINEAGE_COLUMNS = ("source", "source_file", "load_batch", "file_sha256", "loaded_at")


def feed_table_ddl(table: str, fields: tuple[str, ...], clean_columns) -> str:
    """Lineage, then the delivered fields as text, then cleaned columns and issue codes."""
    delivered = "".join(f"    {name} text,\n" for name in fields)
    cleaned = "".join(f"    {name} {sql_type},\n" for name, sql_type in clean_columns)
    return (
        f"create table if not exists {table} (\n"
        "    source text not null,\n"
        "    source_file text not null,\n"
        "    source_row integer not null,\n"
        "    load_batch bigint not null references raw.load_log (load_batch) on delete cascade,\n"
        "    file_sha256 char(64) not null,\n"
        "    loaded_at timestamptz not null,\n"
        f"{delivered}{cleaned}"
        "    issues text[] not null default '{}',\n"
        "    primary key (load_batch, source_row)\n)"
    )


@cache
def cleaning_ddl() -> str:
    """The SQL cleaning functions (ingestion/sql/cleaning.sql), replaced on every ensure.

    An ID number's issuing place is known when its province is (ids._known_place asks
    python-stdnum the same); the provinces come from stdnum's own table.
    """
    provinces = sorted(
        f"{code:02d}"
        for _, low, high, _, _ in numdb.get("cn/loc").prefixes
        for code in range(int(low), int(high) + 1)
    )
    text = (Path(__file__).parent / "sql" / "cleaning.sql").read_text(encoding="utf-8")
    return text.replace("{provinces}", "{" + ",".join(provinces) + "}")
