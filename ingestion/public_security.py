"""公安人口信息: the public-security population extracts (GB18030 CSV, CRLF, header row)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from ingestion.reading import map_header
from warehouse.settings import FeedSettings

SOURCE = "public_security"
TABLE = "raw.public_security_persons"
ENCODING = "gb18030"
FIELDS = (
    "id_number",
    "name",
    "sex_code",
    "ethnicity_code",
    "birth_date",
    "registered_address",
    "registered_region_code",
    "status_code",
    "status_changed_date",
    "change_type",
)


def read_rows(path: Path, feed: FeedSettings) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (data-row number, canonical field -> delivered text) for each data row."""
    with path.open(encoding=ENCODING, newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        positions = map_header(header or [], feed, FIELDS, path)
        for number, row in enumerate(reader, start=1):
            yield (
                number,
                {
                    field: (row[index].strip() if index < len(row) else "")
                    for field, index in positions.items()
                },
            )
