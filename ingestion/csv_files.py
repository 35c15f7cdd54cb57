"""Reading delivered CSV files as a stream; a file that turns out unreadable is rejected whole.

Each file loads in one transaction, so a decoding error at row 9,000 rolls back rows 1 to
8,999 and the file is quarantined whole: nothing is half-loaded.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator
from pathlib import Path

from ingestion.reading import Delivered, FileRejected, Row, map_header
from warehouse.settings import FeedSettings

csv.field_size_limit(1 << 20)
SNIFF_BYTES = 65536


def _check_start(path: Path, encoding: str) -> None:
    with path.open("rb") as handle:
        start = handle.read(SNIFF_BYTES)
    if not start.strip():
        raise FileRejected("empty_file", f"{path.name}: the file is empty")
    if b"\x00" in start:
        raise FileRejected("not_text", f"{path.name}: binary content, not a {encoding} CSV file")


def _lines(path: Path, encoding: str) -> Iterator[str]:
    with path.open(encoding=encoding, newline="") as handle:
        try:
            yield from handle
        except UnicodeDecodeError as exc:
            raise FileRejected(
                "wrong_encoding",
                f"{path.name}: not valid {codecs.lookup(encoding).name} text "
                f"({exc.reason}); the contract says {encoding}",
            ) from None


def read_csv(path: Path, feed: FeedSettings, fields: tuple[str, ...], encoding: str) -> Delivered:
    """Rows numbered from 1 after the header; a row of the wrong width is a problem row."""
    _check_start(path, encoding)
    reader = csv.reader(_lines(path, encoding))
    try:
        header = next(reader)
    except StopIteration:
        raise FileRejected("empty_file", f"{path.name}: no header row") from None
    except csv.Error as exc:
        raise FileRejected("malformed_file", f"{path.name}: unreadable header: {exc}") from None
    positions = map_header(header, feed, fields, path)
    return Delivered(positions, len(header), _rows(reader, positions, len(header), path))


def _rows(reader, positions: dict[str, int], width: int, path: Path) -> Iterator[Row]:
    number = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise FileRejected("malformed_file", f"{path.name}: row {number + 1}: {exc}") from None
        number += 1
        if len(row) != width:
            message = f"{len(row)} fields where the header has {width} (a broken or cut line)"
            yield Row(number, [",".join(row)], positions, ("malformed_row", message))
        else:
            yield Row(number, row, positions)
