"""Tables of the raw layer that every feed shares: the load log."""

from __future__ import annotations

LOAD_LOG_DDL = """
create table if not exists raw.load_log (
    load_batch bigint generated always as identity primary key,
    source text not null,
    source_file text not null,
    sha256 char(64) not null unique,
    delivery_month char(7) not null,
    delivered integer not null,
    loaded integer not null,
    quarantined integer not null,
    loaded_at timestamptz not null default now(),
    constraint counts_add_up check (delivered = loaded + quarantined)
)
"""

LINEAGE_COLUMNS_DDL = """
    source text not null,
    source_file text not null,
    source_row integer not null,
    load_batch bigint not null references raw.load_log (load_batch),
    file_sha256 char(64) not null,
    loaded_at timestamptz not null,
"""


def feed_table_ddl(table: str, fields: tuple[str, ...]) -> str:
    """A raw feed table: lineage first, then the delivered fields as text, as delivered."""
    columns = ",\n".join(f"    {field} text" for field in fields)
    return (
        f"create table if not exists {table} (\n{LINEAGE_COLUMNS_DDL}{columns},\n"
        f"    primary key (source_file, source_row)\n)"
    )
