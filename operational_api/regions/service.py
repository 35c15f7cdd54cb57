"""Administrative divisions (district, street, community, grid) from the reference regions."""

from __future__ import annotations

import csv
from pathlib import Path

from sqlalchemy import Connection, select
from sqlalchemy.dialects.postgresql import insert

from operational_api.regions.models import regions

LEVELS = ("district", "street", "community", "grid")


def upsert(conn: Connection, *, rows: list[dict]) -> int:
    """Insert or update divisions given as code, name, level, parent_code."""
    if not rows:
        return 0
    clean = [
        {
            "code": r["code"].strip(),
            "name": r["name"].strip(),
            "level": r["level"].strip(),
            "parent_code": (r.get("parent_code") or "").strip() or None,
        }
        for r in rows
    ]
    statement = insert(regions)
    statement = statement.on_conflict_do_update(
        index_elements=["code"],
        set_={c: statement.excluded[c] for c in ("name", "level", "parent_code")},
    )
    conn.execute(statement, clean)  # executemany: batched under PostgreSQL's parameter limit
    return len(clean)


def load_csv(conn: Connection, *, path: Path) -> int:
    """Load a reference regions.csv (feeds/CONTRACTS.md: code,name,level,parent_code)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return upsert(conn, rows=rows)


def children(conn: Connection, *, parent_code: str | None, level: str | None) -> list[dict]:
    query = select(regions).order_by(regions.c.code)
    if parent_code:
        query = query.where(regions.c.parent_code == parent_code)
    if level:
        query = query.where(regions.c.level == level)
    return [dict(r) for r in conn.execute(query.limit(5000)).mappings()]
