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


def publish(conn: psycopg.Connection, table: str) -> None:
    """Move the rows of linkage.<table>_next into linkage.<table>, which is kept (not dropped),
    so views that the dbt models build on it survive every run."""
    conn.execute(
        f"create table if not exists linkage.{table} (like linkage.{table}_next including all)"
    )
    conn.execute(f"truncate linkage.{table}")
    conn.execute(f"insert into linkage.{table} select * from linkage.{table}_next")
    conn.execute(f"drop table linkage.{table}_next")
