"""Helpers of the linkage tests: generated feeds with every defect frequent, a registry twin,
loading into a fresh raw layer, and reading the xref."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
from stdnum.cn import ric

from ingestion.feeds import FEEDS, load_regions, load_source
from ingestion.generator import generate
from tests.conftest import FREQUENT_DEFECTS, empty_raw_layer
from warehouse.connection import connect

LINKAGE_TABLES = ("elder_xref", "cluster_events", "review_decisions", "review_queue", "runs")


def make_feeds(folder: Path, elders: int, months: tuple[str, str], seed: int) -> Path:
    """Generate landing + truth under folder; return folder."""
    generate(folder / "landing", folder / "truth", elders=elders, months=months, seed=seed,
             defects=FREQUENT_DEFECTS)  # fmt: skip
    return folder


def add_twin(folder: Path, month: str) -> tuple[str, str]:
    """Append to the month's registry extract a person with the same name, sex, birth date
    and community as its first row but another valid ID number; return both numbers."""
    path = next((folder / "landing" / "public_security" / month).glob("*_full.csv"))
    lines = path.read_bytes().decode("gb18030").split("\r\n")
    fields = lines[1].split(",")
    number = fields[0].upper()
    sequence = (int(number[14:17]) + 2) % 1000
    body = number[:14] + f"{sequence:03d}"
    twin = body + ric.calc_check_digit(body + "?")
    end = len(lines) - 1 if lines[-1] == "" else len(lines)
    lines.insert(end, ",".join([twin, *fields[1:]]))  # last, so no other row moves
    path.write_bytes("\r\n".join(lines).encode("gb18030"))
    return number, twin


def reset_raw(settings) -> None:
    """Empty the raw layer and the linkage tables of earlier tests."""
    with connect(settings) as conn:
        empty_raw_layer(conn)
        for table in LINKAGE_TABLES:
            conn.execute(f"drop table if exists linkage.{table} cascade")
        conn.execute("truncate linkage.elders")  # kept: the store makes it, ops.elders reads it
        conn.commit()


def load(settings, landing: Path, month: str | None = None) -> None:
    """Load the reference file and the sources' deliveries (of one month, if given)."""
    with connect(settings) as conn:
        load_regions(conn, landing)
        for source in FEEDS:
            load_source(conn, settings, source, landing, month)


def read_truth(folder: Path, name: str) -> pd.DataFrame:
    with (folder / "truth" / name).open(encoding="utf-8", newline="") as handle:
        return pd.DataFrame(csv.DictReader(handle))


def xref(settings) -> pd.DataFrame:
    with connect(settings) as conn:
        rows = conn.execute(
            "select source_file, source_row, role, elder_id, linked_by from linkage.elder_xref"
        ).fetchall()
    return pd.DataFrame(rows, columns=["source_file", "source_row", "role", "elder_id", "by"])


PASSPORT_CASES = (  # (file index, case number, elder name, document number)
    (0, "TJSBTEST0001", "金智秀", "M12345678"),
    (1, "TJSBTEST0002", "KIM JI SOO", "M12345678"),  # the name as the passport spells it
    (1, "TJSBTEST0003", "金智秀", "M87654321"),
)


def add_case(
    path: Path,
    case: str,
    name: str,
    phone: str,
    document: str,
    number: str,
    address: str = "天津市和平区小白楼街道",
) -> int:
    """Append a service case that an elder filed to a gov_services file; return its row."""
    text = path.read_text(encoding="utf-8-sig")
    newline = "\r\n" if "\r\n" in text else "\n"
    rows = [line for line in text.split(newline) if line]
    rows.append(
        f"{case},老年人优待证办理,{name},{phone},{name},{document},{number},"
        f"{address},2026-07-20 10:00:00,,受理中"
    )
    path.write_text(newline.join(rows) + newline, encoding="utf-8-sig")
    return len(rows) - 1


def add_resident(path: Path, name: str, sex: str, born: str, district: str) -> int:
    """Append to an institution's JSON Lines file a resident like its first one, with this
    name, sex, birth date and district and no ID number; return the row (line)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    resident = json.loads(lines[0]) | {
        "resident_name": name, "gender": sex, "birth_date": born, "id_number": None,
        "institution_district_code": district, "contact_phone": None, "bed_no": "9-999-9",
    }  # fmt: skip
    lines.append(json.dumps(resident, ensure_ascii=False))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines)


def add_passport_cases(folder: Path) -> list[tuple[str, int, str]]:
    """Append service cases of passport holders to the first two months' files: one holder
    twice, and a namesake with another passport; return (source_file, source_row, number)."""
    files = sorted((folder / "landing" / "gov_services").glob("*/*.csv"))[:2]
    added = []
    for index, case, name, number in PASSPORT_CASES:
        row = add_case(files[index], case, name, "13800000000", "护照", number)
        added.append((files[index].relative_to(folder / "landing").as_posix(), row, number))
    return added
