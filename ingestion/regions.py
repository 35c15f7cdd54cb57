"""Reference regions (reference/regions.csv): division names resolved to codes, addresses parsed."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ingestion.csv_files import read_csv
from ingestion.reading import Cleaned, FileContext, Row, rejected
from warehouse.settings import FeedSettings

SOURCE = "reference"
TABLE = "raw.reference_regions"
FIELDS = ("code", "name", "level", "parent_code")
CLEAN_COLUMNS: tuple[tuple[str, str], ...] = ()
LEVELS = ("district", "street", "community", "grid")
CITY_PREFIXES = ("天津市", "天津")
# Former district and county names that addresses and old records still carry.
LEGACY_DISTRICTS = {
    "塘沽区": "120116",
    "汉沽区": "120116",
    "大港区": "120116",
    "宁河县": "120117",
    "静海县": "120118",
    "蓟县": "120119",
}


@dataclass
class RegionIndex:
    """Name lookups by level, each within its parent."""

    names: dict[str, str] = field(default_factory=dict)  # code -> name
    districts: dict[str, str] = field(default_factory=dict)  # name -> code
    children: dict[str, dict[str, str]] = field(default_factory=dict)  # parent -> name -> code

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[str, str, str, str]]) -> RegionIndex:
        index = cls()
        for code, name, level, parent in rows:
            index.names[code] = name
            if level == "district":
                index.districts[name] = code[:6]
            elif parent:
                index.children.setdefault(parent, {})[name] = code
        for name, code in LEGACY_DISTRICTS.items():
            index.districts.setdefault(name, code)
        return index

    def district_code(self, name: str | None) -> str | None:
        return self.districts.get((name or "").strip())

    def child_code(self, parent_code: str | None, name: str | None) -> str | None:
        """A street of a district (12-digit district code) or a community of a street."""
        if not parent_code or not name:
            return None
        return self.children.get(parent_code, {}).get(name.strip())

    def parse_address(self, address: str | None) -> tuple[str | None, str | None, str | None]:
        """(district, street, community) codes found at the start of a free-text address."""
        text = (address or "").strip()
        for prefix in CITY_PREFIXES:
            text = text.removeprefix(prefix)
        district = next((n for n in self.districts if text.startswith(n)), None)
        if not district:
            return None, None, None
        district_code = self.districts[district]
        text = text[len(district) :]
        street = self._prefix_child(district_code + "000000", text)
        if not street:
            return district_code, None, None
        rest = text[len(self.names[street]) :]
        return district_code, street, self._prefix_child(street, rest)

    def _prefix_child(self, parent: str, text: str) -> str | None:
        candidates = self.children.get(parent, {})
        found = [name for name in candidates if text.startswith(name)]
        return candidates[max(found, key=len)] if found else None


def read(path: Path, feed: FeedSettings) -> Iterator[Row]:
    """Rows of regions.csv (UTF-8, header row), numbered from 1 after the header."""
    return read_csv(path, feed, FIELDS, "utf-8-sig")


def clean(values: dict, context: FileContext) -> Cleaned:
    """A division row: a 12- or 15-digit code and a known level, or quarantined."""
    code, level = values.get("code") or "", values.get("level") or ""
    if not (code.isdigit() and len(code) in (12, 15)):
        return rejected("region_code_invalid", f"code '{code}' is not a 12- or 15-digit code")
    if level not in LEVELS:
        return rejected("region_level_unknown", f"level '{level}' is not one of {LEVELS}")
    if not values.get("name"):
        return rejected("name_missing", "the division has no name")
    return Cleaned({})
