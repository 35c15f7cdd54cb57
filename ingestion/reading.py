"""What every feed reader shares: mapping a delivered header onto canonical fields."""

from __future__ import annotations

from pathlib import Path

from warehouse.settings import FeedSettings


class FileRejected(Exception):
    """A delivered file that cannot be loaded at all; the message names file and column."""


def map_header(
    header: list[str], feed: FeedSettings, fields: tuple[str, ...], path: Path
) -> dict[str, int]:
    """Canonical field -> column position, through the feed's configured column names."""
    positions = {}
    for index, delivered in enumerate(header):
        field = feed.columns.get(delivered.strip().lstrip("\ufeff"))
        if field in fields and field not in positions:
            positions[field] = index
    missing = [field for field in feed.required if field not in positions]
    if missing:
        expected = {field: name for name, field in feed.columns.items()}
        names = ", ".join(f"{expected.get(field, field)} ({field})" for field in missing)
        raise FileRejected(f"{path.name}: required column missing: {names}")
    return positions
