"""Months of the generated range and day arithmetic on integer day numbers (days since 1970)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

NEVER = np.int32(np.iinfo(np.int32).max)
_TABLE_FIRST = "1900-01-01"
_TABLE_LAST = "2040-12-31"
_EXCEL_EPOCH = int(np.datetime64("1899-12-30", "D").astype(np.int64))


def day_number(year: int, month: int, day: int = 1) -> int:
    """Day number of a calendar date."""
    return int(np.datetime64(f"{year:04d}-{month:02d}-{day:02d}", "D").astype(np.int64))


@dataclass(frozen=True)
class Month:
    """One delivery month: its position in the range and its first and last day numbers."""

    index: int
    year: int
    month: int

    @property
    def label(self) -> str:
        """YYYY-MM, the landing folder name."""
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def compact(self) -> str:
        """YYYYMM, as used in file names and the 发放月份 column."""
        return f"{self.year:04d}{self.month:02d}"

    @property
    def start(self) -> int:
        """Day number of the first day."""
        return day_number(self.year, self.month)

    @property
    def end(self) -> int:
        """Day number of the last day."""
        y, m = (self.year + 1, 1) if self.month == 12 else (self.year, self.month + 1)
        return day_number(y, m) - 1


def month_range(first: str, last: str) -> list[Month]:
    """Every month from first to last inclusive, both given as YYYY-MM."""
    y0, m0 = (int(p) for p in first.split("-"))
    y1, m1 = (int(p) for p in last.split("-"))
    count = (y1 - y0) * 12 + (m1 - m0) + 1
    if count < 1:
        raise ValueError(f"month range {first}:{last} is empty")
    return [Month(i, y0 + (m0 - 1 + i) // 12, (m0 - 1 + i) % 12 + 1) for i in range(count)]


def same_month_years_before(month: Month, years: int) -> int:
    """Day number of the last day of the same calendar month the given years earlier."""
    return Month(0, month.year - years, month.month).end


def components(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Year, month and day of each day number."""
    d = np.asarray(days).astype("datetime64[D]")
    months = d.astype("datetime64[M]")
    year = months.astype(np.int64) // 12 + 1970
    month = months.astype(np.int64) % 12 + 1
    day = (d - months.astype("datetime64[D]")).astype(np.int64) + 1
    return year, month, day


def age_from(ymd: tuple[np.ndarray, np.ndarray, np.ndarray], day: int) -> np.ndarray:
    """Completed years of age on the given day, from birth year, month and day."""
    by, bm, bd = ymd
    y, m, d = (int(v[0]) for v in components(np.array([day])))
    return (y - by - ((m * 100 + d) < (bm * 100 + bd))).astype(np.int16)


def age_on(birth: np.ndarray, day: int) -> np.ndarray:
    """Completed years of age on the given day."""
    return age_from(components(birth), day)


def excel_serial(days: np.ndarray) -> np.ndarray:
    """Excel 1900-system serial numbers of day numbers (valid after 1900-03-01)."""
    return np.asarray(days, dtype=np.int64) - _EXCEL_EPOCH


class DateText:
    """Lookup tables that render day numbers as text without a per-row Python call."""

    def __init__(self) -> None:
        self.base = int(np.datetime64(_TABLE_FIRST, "D").astype(np.int64))
        last = int(np.datetime64(_TABLE_LAST, "D").astype(np.int64))
        days = np.arange(self.base, last + 1).astype("datetime64[D]")
        self._iso = np.datetime_as_string(days).astype(object)
        self._compact = np.array([s.replace("-", "") for s in self._iso], dtype=object)

    def iso(self, days: np.ndarray) -> np.ndarray:
        """YYYY-MM-DD, empty where the day is NEVER."""
        return self._render(self._iso, days)

    def compact(self, days: np.ndarray) -> np.ndarray:
        """YYYYMMDD, empty where the day is NEVER."""
        return self._render(self._compact, days)

    def _render(self, table: np.ndarray, days: np.ndarray) -> np.ndarray:
        days = np.asarray(days, dtype=np.int64)
        never = days == NEVER
        out = table[np.where(never, self.base, days) - self.base]
        out[never] = ""
        return out
