"""DDL of the raw and quarantine layers: the load log, feed tables and quarantine tables."""

from __future__ import annotations

import hashlib
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


# What DDL each part of the store was last brought to, so ensure_tables can skip DDL (and its
# locks) when nothing changed: DDL beside a running load could deadlock (a lock upgrade on
# raw.load_log: ShareLock for `create index if not exists`, then AccessExclusiveLock for the
# `alter table`, while the load holds AccessShareLock and waits to write its log row).
APPLIED_DDL = """
create table if not exists raw.applied_ddl (
    part text primary key,
    sha256 char(64) not null,
    applied_at timestamptz not null default now()
)
"""
# One session at a time applies DDL (pg_advisory_xact_lock; the key is arbitrary but fixed).
DDL_LOCK = 0x656C646572_0DD1


def ddl_digest(statements: list[str]) -> str:
    return hashlib.sha256("\n;\n".join(statements).encode()).hexdigest()


APPLIED = "select exists (select from raw.applied_ddl where part = %s and sha256 = %s)"


def is_applied(cur, table: str, digest: str) -> bool:
    """Whether the table exists and its DDL (keyed by the table) was last applied as digest."""
    cur.execute(
        "select to_regclass('raw.applied_ddl') is not null and to_regclass(%s) is not null",
        (table,),
    )
    if not cur.fetchone()[0]:
        return False
    cur.execute(APPLIED, (table, digest))
    return cur.fetchone()[0]


def apply_ddl(cur, part: str, digest: str, statements: list[str]) -> None:
    """Run a part's DDL under the DDL lock, unless another session did while this one waited.

    raw.load_log is locked once, in its strongest mode, before any DDL touches it: a load that
    holds a weaker lock on it goes first (PostgreSQL lets a holder jump the queue), then this
    waits; no lock is upgraded, so no cycle.
    """
    cur.execute("select pg_advisory_xact_lock(%s)", (DDL_LOCK,))
    cur.execute(APPLIED_DDL)
    cur.execute(APPLIED, (part, digest))
    if cur.fetchone()[0]:
        return
    cur.execute("select to_regclass('raw.load_log') is not null")
    if cur.fetchone()[0]:
        cur.execute("lock table raw.load_log in access exclusive mode")
    for statement in statements:
        cur.execute(statement)
    cur.execute(
        "insert into raw.applied_ddl (part, sha256) values (%s, %s)"
        " on conflict (part) do update set sha256 = excluded.sha256, applied_at = now()",
        (part, digest),
    )
