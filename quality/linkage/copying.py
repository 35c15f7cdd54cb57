"""Bulk writes: a DataFrame into a table through one binary COPY, not a row at a time; and
publishing a rebuilt table into the one readers use.

The COPY's tuples are built column by column with numpy, in PostgreSQL's binary format, for
the types of the table's columns. pandas' to_csv formats every cell in Python: about 8 µs a
row of a dozen columns here, which made writing Tianjin's 20 million scored pairs take 172 s.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import psycopg

BATCH = 200_000  # rows a buffer holds
HEADER = b"PGCOPY\n\xff\r\n\x00" + bytes(8)  # signature, flags, no header extension
TRAILER = b"\xff\xff"
FIXED = {  # binary send format of fixed-width types: big-endian
    "smallint": np.dtype(">i2"),
    "integer": np.dtype(">i4"),
    "bigint": np.dtype(">i8"),
    "real": np.dtype(">f4"),
    "double precision": np.dtype(">f8"),
    "boolean": np.dtype("u1"),
}
TEXT = {"text", "character varying", "character"}
EPOCH = np.datetime64("2000-01-01T00:00:00", "us")  # PostgreSQL's epoch for dates and times


def copy_frame(conn: psycopg.Connection, table: str, frame: pd.DataFrame) -> None:
    """COPY the frame's columns (named as the table's) into table; missing values (None,
    NaN, NaT) as NULL. Column types: smallint, integer, bigint, real, double precision,
    boolean, text, varchar, char, date, timestamp with time zone."""
    types = _column_types(conn, table, list(frame.columns))
    columns = ", ".join(frame.columns)
    with conn.cursor().copy(f"copy {table} ({columns}) from stdin (format binary)") as copy:
        copy.write(HEADER)
        for start in range(0, len(frame), BATCH):
            copy.write(tuples(frame.iloc[start : start + BATCH], types))
        copy.write(TRAILER)


def _column_types(conn: psycopg.Connection, table: str, names: list[str]) -> list[str]:
    """The SQL type of each named column of table, without its length (character(6) is
    character)."""
    rows = conn.execute(
        """select attname, format_type(atttypid, null) from pg_attribute
        where attrelid = %s::regclass and attnum > 0 and not attisdropped""",
        (table,),
    ).fetchall()
    found = dict(rows)
    missing = [name for name in names if name not in found]
    if missing:
        raise ValueError(f"{table} has no column {', '.join(missing)}")
    return [found[name] for name in names]


def tuples(frame: pd.DataFrame, types: list[str]) -> bytes:
    """The frame's rows as binary COPY tuples: per row the field count, then per field its
    length (-1 for NULL) and its bytes. Each row is laid out at its widest (a text field as
    wide as the longest value) in one structured array, and the bytes past each value's
    length are then dropped in one pass."""
    fields = [_field(frame[name], sql_type) for name, sql_type in zip(frame, types, strict=True)]
    layout = [("count", ">i2")]
    for i, (_, data) in enumerate(fields):
        layout += [(f"length{i}", ">i4"), (f"value{i}", data.dtype)]
    rows = np.zeros(len(frame), dtype=np.dtype(layout))
    rows["count"] = len(fields)
    keep = np.ones((len(frame), rows.dtype.itemsize), dtype=bool)  # bytes past each length go
    for i, (lengths, data) in enumerate(fields):
        rows[f"length{i}"] = lengths
        offset, width = rows.dtype.fields[f"value{i}"][1], data.dtype.itemsize
        if len(data) == len(frame):
            rows[f"value{i}"] = data
        else:
            rows[f"value{i}"][lengths >= 0] = data
        if data.dtype.kind == "S":
            keep[:, offset : offset + width] = np.arange(width) < lengths[:, None]
        elif len(data) < len(frame):
            keep[:, offset : offset + width] = (lengths >= 0)[:, None]
    if keep.all():
        return rows.tobytes()
    return rows.view(np.uint8).reshape(len(frame), -1)[keep].tobytes()


def _field(values: pd.Series, sql_type: str) -> tuple[np.ndarray, np.ndarray]:
    """(the length of each value in bytes, -1 for NULL; the present values, in the type's
    binary form: fixed-width numbers, or bytes as wide as the longest)."""
    if sql_type in TEXT:  # few distinct values in most columns: each encoded once
        codes, distinct = pd.factorize(values.to_numpy())
        encoded = [str(value).encode() for value in distinct]
        widths = np.array([len(value) for value in encoded] + [-1], dtype=np.int64)
        padded = np.array(encoded or [b""], dtype=f"S{max(widths.max(), 1)}")
        return widths[codes], padded[codes[codes >= 0]]
    missing = values.isna().to_numpy()
    present = values.to_numpy()[~missing]
    if sql_type in FIXED:
        data = present.astype(FIXED[sql_type])
    elif sql_type == "date":
        data = (present.astype("datetime64[D]") - EPOCH.astype("datetime64[D]")).astype(">i4")
    elif sql_type == "timestamp with time zone":
        moments = pd.to_datetime(present, utc=True).tz_localize(None).to_numpy("datetime64[us]")
        data = (moments - EPOCH).astype(">i8")
    else:
        raise ValueError(f"binary COPY of {sql_type} columns is not supported here")
    return np.where(missing, -1, data.dtype.itemsize).astype(np.int64), data


def publish(
    conn: psycopg.Connection,
    table: str,
    key: str | None = None,
    scope: str | None = None,
    fillfactor: int = 100,
) -> None:
    """Move the rows of linkage.<table>_next into linkage.<table>, which is kept (not dropped),
    so views on it (dbt's, and the API's ops.elders) survive every run; columns new in _next
    are added to it. With a `key` (unique in both) the rows are merged: rows gone deleted,
    changed ones updated, new ones inserted, so readers never wait for the run (truncate
    would lock them out until it commits); without one the table is refilled, and its indexes
    that back no constraint are built again after the insert instead of kept up row by row
    (Tianjin's 7.5 million xref rows: 99 s into a copy with its four indexes, 58 s into one
    with its key alone and the other three built after, a test suite running beside). With a
    `scope` (a table of keys, the column named as `key`), _next holds only some rows: a row is
    gone when its key is in the scope and not in _next, and every other row is left as it is.
    `fillfactor`, the percentage of each page that inserted rows fill, leaves room for a row's
    next version on its own page: such an update (HOT) writes no index entries."""
    conn.execute(
        f"create table if not exists linkage.{table} (like linkage.{table}_next including all)"
    )
    _set_fillfactor(conn, table, fillfactor)  # on a table just made as on one made before
    kept, fresh = _columns(conn, table), _columns(conn, f"{table}_next")
    for name, sql_type in fresh.items():
        if name not in kept:
            conn.execute(f"alter table linkage.{table} add column {name} {sql_type}")
    columns = ", ".join(fresh)
    if key is None:
        conn.execute(f"truncate linkage.{table}")
        indexes = _plain_indexes(conn, table)
        for name, _ in indexes:
            conn.execute(f"drop index linkage.{name}")
        conn.execute(
            f"insert into linkage.{table} ({columns}) select {columns} from linkage.{table}_next"
        )
        for _, definition in indexes:
            conn.execute(definition)
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


def _plain_indexes(conn: psycopg.Connection, table: str) -> list[tuple[str, str]]:
    """(name, definition) of each index on linkage.<table> that no constraint uses (neither
    its own primary key or unique constraint nor another table's foreign key)."""
    return conn.execute(
        """select i.relname, pg_get_indexdef(i.oid) from pg_index x
        join pg_class i on i.oid = x.indexrelid
        where x.indrelid = %s::regclass
          and not exists (select 1 from pg_constraint c where c.conindid = x.indexrelid)
        order by i.relname""",
        (f"linkage.{table}",),
    ).fetchall()


def _set_fillfactor(conn: psycopg.Connection, table: str, fillfactor: int) -> None:
    """Set linkage.<table>'s fillfactor when it differs. The pages already written keep their
    rows until those move; the lock taken does not stop readers or writers, only other ALTERs
    and VACUUM."""
    options = conn.execute(
        "select coalesce(reloptions, '{}') from pg_class where oid = %s::regclass",
        (f"linkage.{table}",),
    ).fetchone()[0]
    stored = next((int(o.split("=")[1]) for o in options if o.startswith("fillfactor=")), 100)
    if stored != fillfactor:
        conn.execute(f"alter table linkage.{table} set (fillfactor = {int(fillfactor)})")


def _columns(conn: psycopg.Connection, table: str) -> dict[str, str]:
    """Column name → SQL type of linkage.<table>, in order."""
    rows = conn.execute(
        """select attname, format_type(atttypid, atttypmod) from pg_attribute
        where attrelid = %s::regclass and attnum > 0 and not attisdropped order by attnum""",
        (f"linkage.{table}",),
    )
    return dict(rows.fetchall())
