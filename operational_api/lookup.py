"""Fetch one row the caller may see, or 404: the one place that says "not found (or outside
your scope)", so a row out of scope and a row that does not exist look the same."""

from __future__ import annotations

from sqlalchemy import ColumnElement, Connection, Select, Table, select

from operational_api.errors import not_found


def get_or_404(
    conn: Connection,
    source: Table | Select,
    *where: ColumnElement[bool],
    what: str,
    lock: bool = False,
) -> dict:
    """The first row of `source` matching every filter in `where` (id and scope), as a dict.

    `source` is a table (all its columns) or a select with joins; `lock` takes the row for
    update. Raises a 404 naming `what` when nothing matches.
    """
    query = source if isinstance(source, Select) else select(source)
    query = query.where(*where)
    row = conn.execute(query.with_for_update() if lock else query).mappings().first()
    if row is None:
        raise not_found(what)
    return dict(row)
