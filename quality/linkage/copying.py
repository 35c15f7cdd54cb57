"""Bulk writes: a DataFrame into a table through one COPY, not a row at a time."""

from __future__ import annotations

import io

import pandas as pd
import psycopg

BATCH = 1_000_000


def copy_frame(conn: psycopg.Connection, table: str, frame: pd.DataFrame) -> None:
    """COPY the frame's columns (named as the table's) into table; missing values as NULL."""
    columns = ", ".join(frame.columns)
    sql = f"copy {table} ({columns}) from stdin (format csv, delimiter E'\\t', null '\\N')"
    with conn.cursor().copy(sql) as copy:
        for start in range(0, len(frame), BATCH):
            buffer = io.StringIO()
            frame.iloc[start : start + BATCH].to_csv(
                buffer, sep="\t", header=False, index=False, na_rep="\\N"
            )
            copy.write(buffer.getvalue())


def publish(
    conn: psycopg.Connection, table: str, key: str | None = None, scope: str | None = None
) -> None:
    """Move the rows of linkage.<table>_next into linkage.<table>, which is kept (not dropped),
    so views on it (dbt's, and the API's ops.elders) survive every run; columns new in _next
    are added to it. With a `key` (unique in both) the rows are merged: rows gone deleted,
    changed ones updated, new ones inserted, so readers never wait for the run (truncate
    would lock them out until it commits); without one the table is refilled. With a `scope`
    (a table of keys, the column named as `key`), _next holds only some rows: a row is gone
    when its key is in the scope and not in _next, and every other row is left as it is."""
    conn.execute(
        f"create table if not exists linkage.{table} (like linkage.{table}_next including all)"
    )
    kept, fresh = _columns(conn, table), _columns(conn, f"{table}_next")
    for name, sql_type in fresh.items():
        if name not in kept:
            conn.execute(f"alter table linkage.{table} add column {name} {sql_type}")
    columns = ", ".join(fresh)
    if key is None:
        conn.execute(f"truncate linkage.{table}")
        conn.execute(
            f"insert into linkage.{table} ({columns}) select {columns} from linkage.{table}_next"
        )
    else:
        values = [name for name in fresh if name != key]
        within = f" and t.{key} in (select {key} from {scope})" if scope else ""
        conn.execute(
            f"""delete from linkage.{table} t where not exists
            (select from linkage.{table}_next n where n.{key} = t.{key}){within}"""
        )
        conn.execute(
            f"""insert into linkage.{table} as t ({columns})
            select {columns} from linkage.{table}_next
            on conflict ({key}) do update set
                {", ".join(f"{name} = excluded.{name}" for name in values)}
            where ({", ".join(f"t.{name}" for name in values)})
                is distinct from ({", ".join(f"excluded.{name}" for name in values)})"""
        )
    conn.execute(f"drop table linkage.{table}_next")


def _columns(conn: psycopg.Connection, table: str) -> dict[str, str]:
    """Column name → SQL type of linkage.<table>, in order."""
    rows = conn.execute(
        """select attname, format_type(atttypid, atttypmod) from pg_attribute
        where attrelid = %s::regclass and attnum > 0 and not attisdropped order by attnum""",
        (f"linkage.{table}",),
    )
    return dict(rows.fetchall())
