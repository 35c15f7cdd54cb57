"""The landing area: which deliveries are there, per source and delivery month."""

from __future__ import annotations

import calendar
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

SOURCES = ("public_security", "civil_affairs", "institutions", "gov_services")
MONTH_FOLDER = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


@dataclass(frozen=True)
class Delivery:
    """One delivered file: its source, delivery month and path."""

    source: str
    month: str
    path: Path
    source_file: str  # relative to the landing root, with forward slashes

    def sha256(self) -> str:
        digest = hashlib.sha256()
        with self.path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        return digest.hexdigest()


def deliveries(landing_root: Path, source: str, month: str | None = None) -> list[Delivery]:
    """Delivered files of one source, oldest month first, in name order within a month."""
    source_dir = landing_root / source
    if not source_dir.is_dir():
        return []
    found = []
    for month_dir in sorted(source_dir.iterdir()):
        if not (month_dir.is_dir() and MONTH_FOLDER.match(month_dir.name)):
            continue
        if month and month_dir.name != month:
            continue
        for path in sorted(p for p in month_dir.iterdir() if p.is_file()):
            relative = path.relative_to(landing_root).as_posix()
            found.append(Delivery(source, month_dir.name, path, relative))
    return found


def month_end(month: str) -> str:
    """The last day of a delivery month ('2026-10' -> '2026-10-31'): the reference date elders
    are counted at when it is the latest month loaded."""
    year, number = int(month[:4]), int(month[5:7])
    return f"{month}-{calendar.monthrange(year, number)[1]:02d}"


def delivery_months(landing_root: Path, source: str) -> list[str]:
    return sorted({delivery.month for delivery in deliveries(landing_root, source)})
