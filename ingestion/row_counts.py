"""Counting a rejected file's data rows, by the contract's locator, as far as it can be read."""

from __future__ import annotations

import csv
from pathlib import Path

from python_calamine import CalamineWorkbook

CSV_ENCODINGS = {
    "public_security": "gb18030",
    "gov_services": "utf-8-sig",
    "reference": "utf-8-sig",
}
WORKBOOK_HEADER_ROWS = 2  # title and header


def count_rows(path: Path, source: str) -> int:
    """Data rows in the file, or 0 when it cannot be read as its format at all."""
    try:
        if source == "civil_affairs":
            sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
            return max(0, len(sheet.to_python(skip_empty_area=False)) - WORKBOOK_HEADER_ROWS)
        if source == "institutions":
            with path.open("rb") as handle:
                return sum(1 for _ in handle)
        with path.open(encoding=CSV_ENCODINGS[source], errors="replace", newline="") as handle:
            return max(0, sum(1 for _ in csv.reader(handle)) - 1)
    except Exception:  # a file unreadable as its format has no countable rows
        return 0
