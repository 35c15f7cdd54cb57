"""养老机构在院老人名册: institution resident rosters, JSON Lines, one file per institution."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from stdnum.cn import uscc

from ingestion.cleaning.codes import CARE_LEVELS, DISCHARGE_REASONS, SEX, clean_code
from ingestion.cleaning.dates import clean_date
from ingestion.cleaning.ids import clean_id_number
from ingestion.cleaning.names import clean_name
from ingestion.cleaning.phones import clean_phone
from ingestion.reading import Cleaned, FileContext, FileRejected, Row, as_text, rejected
from warehouse.settings import FeedSettings

SOURCE = "institutions"
TABLE = "raw.institution_residents"
FIELDS = (
    "institution_code", "institution_name", "institution_district_code", "resident_name",
    "id_number", "gender", "birth_date", "admission_date", "discharge_date",
    "discharge_reason", "care_level", "contact_phone", "bed_no",
)  # fmt: skip
CLEAN_COLUMNS = (
    ("is_institution_code_valid", "boolean"),
    ("id_number_clean", "text"),
    ("is_id_number_valid", "boolean"),
    ("name_clean", "text"),
    ("sex", "smallint"),
    ("birth_date_clean", "date"),
    ("admitted_on", "date"),
    ("discharged_on", "date"),
    ("discharge_reason_clean", "text"),
    ("care_level_clean", "text"),
    ("phone_clean", "text"),
)


def read(path: Path, feed: FeedSettings) -> Iterator[Row]:
    """Rows located by line number; a line that is not a JSON object is a problem row."""
    with path.open("rb") as handle:
        start = handle.read(65536)
    if not start.strip():
        raise FileRejected("empty_file", f"{path.name}: the file is empty")
    renames = feed.columns
    checked = False
    with path.open(encoding="utf-8-sig", errors="strict") as handle:
        try:
            for number, line in enumerate(handle, start=1):
                row = _parse(number, line, renames)
                if not (checked or row.problem):
                    _check_required(line, feed, path)
                    checked = True
                yield row
        except UnicodeDecodeError as exc:
            raise FileRejected("wrong_encoding", f"{path.name}: not UTF-8 ({exc.reason})") from None


def _check_required(line: str, feed: FeedSettings, path: Path) -> None:
    """The first record stands for the file's layout: a required key it lacks is missing."""
    keys = {feed.columns.get(key, key) for key in json.loads(line)}
    missing = [name for name in feed.required if name not in keys]
    if missing:
        raise FileRejected("missing_column", f"{path.name}: required field missing: {missing}")


def _parse(number: int, line: str, renames: dict[str, str]) -> Row:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return Row(number, {"line": line.rstrip("\n")}, ("malformed_json", f"not JSON: {exc.msg}"))
    if not isinstance(record, dict):
        return Row(number, {"line": line.rstrip("\n")}, ("malformed_json", "not a JSON object"))
    values = {renames.get(key, key): value for key, value in record.items()}
    return Row(number, {field: values.get(field) for field in FIELDS})


def clean(values: dict, context: FileContext) -> Cleaned:
    """Clean one resident; a resident without a name or admission date is quarantined."""
    name, name_issue = clean_name(as_text(values.get("resident_name")))
    if not name:
        return rejected("name_missing", "resident_name is empty: the row names nobody")
    admitted = clean_date(values.get("admission_date"), swap=True)
    if admitted.value is None:
        raw = values.get("admission_date")
        return rejected("admission_date_invalid", f"admission_date '{raw}' is not a date")
    number = clean_id_number(as_text(values.get("id_number")))
    born = clean_date(values.get("birth_date"), swap=True)
    discharged = clean_date(values.get("discharge_date"), swap=True)
    sex, sex_issue = clean_code(as_text(values.get("gender")), SEX, "sex_unknown")
    reason, reason_issue = clean_code(
        values.get("discharge_reason"), DISCHARGE_REASONS, "discharge_reason_unknown"
    )
    care, care_issue = clean_code(values.get("care_level"), CARE_LEVELS, "care_level_unknown")
    phone, phone_issue = clean_phone(as_text(values.get("contact_phone")))
    code = as_text(values.get("institution_code")) or ""
    issues = [
        name_issue,
        number.issue,
        born.issue,
        sex_issue,
        reason_issue,
        care_issue,
        phone_issue,
    ]
    if discharged.issue not in (None, "date_missing"):
        issues.append("discharge_" + discharged.issue)
    if admitted.issue:
        issues.append("admission_" + admitted.issue)
    return Cleaned(
        {
            "is_institution_code_valid": uscc.is_valid(code),
            "id_number_clean": number.number,
            "is_id_number_valid": number.is_valid,
            "name_clean": name,
            "sex": sex,
            "birth_date_clean": born.value,
            "admitted_on": admitted.value,
            "discharged_on": discharged.value,
            "discharge_reason_clean": reason,
            "care_level_clean": care,
            "phone_clean": phone,
        },
        [issue for issue in issues if issue],
    )
