"""Dates in every form the feeds deliver, with their precision; ambiguous ones flagged."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

EXCEL_EPOCH = date(1899, 12, 30)  # Excel's day 0, after its 1900 leap-year bug
EXCEL_SERIAL = re.compile(r"^\d{4,5}(\.0+)?$")
PATTERNS = (
    (re.compile(r"^(\d{4})(\d{2})(\d{2})$"), "day"),
    (re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$"), "day"),
    (re.compile(r"^(\d{4})[-/.年](\d{1,2})月?$"), "month"),
    (re.compile(r"^(\d{4})(\d{2})$"), "month"),
    (re.compile(r"^(\d{4})年?$"), "year"),
)


@dataclass(frozen=True, slots=True)
class CleanDate:
    """A date, how much of it was delivered (day, month, year), and an issue code."""

    value: date | None
    precision: str | None
    issue: str | None


MISSING = CleanDate(None, None, "date_missing")
UNPARSEABLE = CleanDate(None, None, "date_unparseable")


def _build(year: int, month: int, day: int, precision: str, swap: bool) -> CleanDate:
    try:
        return CleanDate(date(year, month, day), precision, None)
    except ValueError:
        pass
    if swap and day <= 12 < month:
        try:  # month and day swapped: say so, and keep the only reading that is a date
            return CleanDate(date(year, day, month), precision, "date_month_day_swapped")
        except ValueError:
            pass
    return UNPARSEABLE


@lru_cache(maxsize=65536)
def _parse_text(text: str, swap: bool) -> CleanDate:
    text = unicodedata.normalize("NFKC", text).strip().split(" ")[0]
    if not text:
        return MISSING
    if EXCEL_SERIAL.match(text) and not text.startswith(("19", "20")):
        return from_excel_serial(float(text))
    for pattern, precision in PATTERNS:
        found = pattern.match(text)
        if found:
            parts = [int(part) for part in found.groups()] + [1, 1]
            return _build(parts[0], parts[1], parts[2], precision, swap)
    return UNPARSEABLE


def from_excel_serial(serial: float) -> CleanDate:
    if not 1 <= serial < 2958466:
        return UNPARSEABLE
    return CleanDate(EXCEL_EPOCH + timedelta(days=int(serial)), "day", None)


def clean_date(value: object, *, swap: bool = False) -> CleanDate:
    """Parse text, an Excel serial or a spreadsheet date; swap=True allows month/day swaps."""
    if value is None:
        return MISSING
    if isinstance(value, datetime):
        return CleanDate(value.date(), "day", None)
    if isinstance(value, date):
        return CleanDate(value, "day", None)
    if isinstance(value, int | float):
        return from_excel_serial(float(value))
    return _parse_text(str(value), swap)
