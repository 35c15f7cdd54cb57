"""What every feed module shares: rows with their locator, header mapping, and clean results.

A feed module (public_security, civil_affairs, institutions, gov_services, regions) has
SOURCE, TABLE, FIELDS (delivered fields, kept as text), CLEAN_COLUMNS (name, SQL type),
`read(path, feed) -> Iterator[Row]` and `clean(values, context) -> Cleaned`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
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
    """One delivered data row: its locator (feeds/CONTRACTS.md) and field -> delivered value."""

    locator: int
    values: dict[str, Any]
    problem: tuple[str, str] | None = None  # (reason, message) when the row cannot be read


@dataclass(slots=True)
class Cleaned:
    columns: dict[str, Any]
    issues: list[str] = field(default_factory=list)
    reject: tuple[str, str] | None = None  # (reason, message): quarantine the row


@dataclass(frozen=True)
class FileContext:
    """What cleaning may know beyond the row: the file, its month, the reference regions."""

    source_file: str
    month: str
    regions: Any  # ingestion.regions.RegionIndex
    path: Path


def rejected(reason: str, message: str) -> Cleaned:
    return Cleaned({}, [], (reason, message))


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


def pick(row: list[Any], positions: dict[str, int]) -> dict[str, Any]:
    width = len(row)
    return {name: (row[index] if index < width else None) for name, index in positions.items()}
