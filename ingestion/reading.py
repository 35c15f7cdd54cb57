"""What every feed module shares: delivered rows with their locator, and header mapping.

A feed module (public_security, civil_affairs, institutions, gov_services, regions) has
SOURCE, TABLE, FIELDS (delivered fields, kept as text), CLEAN_COLUMNS (name, SQL type),
`read(path, feed) -> Delivered` and CLEANING, the SQL that cleans its staged rows
(ingestion/loader.py says what it selects from and must return).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from warehouse.settings import FeedSettings


class FileRejected(Exception):
    """A delivered file that cannot be loaded at all; the message names file and column."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


@dataclass(slots=True)
class Row:
    """One delivered data row: its locator (feeds/CONTRACTS.md) and its cells as delivered."""

    locator: int
    cells: list[Any]
    fields: dict[str, int]  # canonical field -> cell position, shared by the file's rows
    problem: tuple[str, str] | None = None  # (reason, message): cells is then [the line]

    @property
    def values(self) -> dict[str, Any]:
        """Field -> delivered value; a row that could not be read has only its line."""
        if self.problem:
            return {"line": self.cells[0]}
        width = len(self.cells)
        return {f: (self.cells[i] if i < width else None) for f, i in self.fields.items()}


@dataclass
class Delivered:
    """A readable file: where each field sits in a row, the row width, and the rows."""

    fields: dict[str, int]
    width: int
    rows: Iterator[Row]

    def __iter__(self) -> Iterator[Row]:
        return self.rows


def as_text(value: Any) -> str | None:
    """A delivered value as text for the as-delivered columns (cells may be numbers or dates)."""
    if value.__class__ is str:  # the common case, first
        return value if value.strip() else None
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value)
    return text if text.strip() else None


def map_header(
    header: list[Any], feed: FeedSettings, fields: tuple[str, ...], path: Path
) -> dict[str, int]:
    """Canonical field -> column position, through the feed's configured column names."""
    positions: dict[str, int] = {}
    for index, delivered in enumerate(header):
        name = str(delivered or "").strip().lstrip("\ufeff")
        target = feed.columns.get(name)
        if target in fields and target not in positions:
            positions[target] = index
    missing = [name for name in feed.required if name not in positions]
    if missing:
        expected = {target: name for name, target in feed.columns.items()}
        names = ", ".join(f"{expected.get(name, name)} ({name})" for name in missing)
        raise FileRejected("missing_column", f"{path.name}: required column missing: {names}")
    return positions
