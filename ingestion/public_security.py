"""公安人口信息: the public-security population extracts (GB18030 CSV, CRLF, header row).

The authority for identity, birth date and death.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ingestion.cleaning.codes import CHANGE_TYPES, PERSON_STATUS, SEX, clean_code
from ingestion.cleaning.dates import clean_date
from ingestion.cleaning.ids import clean_id_number
from ingestion.cleaning.names import clean_name
from ingestion.csv_files import read_csv
from ingestion.reading import Cleaned, FileContext, Row, rejected
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
CLEAN_COLUMNS = (
    ("id_number_clean", "text"),
    ("is_id_number_valid", "boolean"),
    ("name_clean", "text"),
    ("sex", "smallint"),
    ("birth_date_clean", "date"),
    ("district_code", "char(6)"),
    ("community_code", "text"),
    ("person_status", "text"),
    ("status_changed_on", "date"),
    ("is_delta", "boolean"),
)


def read(path: Path, feed: FeedSettings) -> Iterator[Row]:
    return read_csv(path, feed, FIELDS, ENCODING)


def clean(values: dict, context: FileContext) -> Cleaned:
    """Clean one row; a row without an ID number cannot be the authority for anyone."""
    number = clean_id_number(values.get("id_number"))
    if number.issue == "id_missing":
        return rejected("id_missing", "公民身份号码 is empty: the registry row names nobody")
    name, name_issue = clean_name(values.get("name"))
    sex, sex_issue = clean_code(values.get("sex_code"), SEX, "sex_code_unknown")
    born = clean_date(values.get("birth_date"))
    status, status_issue = clean_code(values.get("status_code"), PERSON_STATUS, "status_unknown")
    _, change_issue = clean_code(values.get("change_type"), CHANGE_TYPES, "change_type_unknown")
    changed = clean_date(values.get("status_changed_date"))
    region = (values.get("registered_region_code") or "").strip()
    issues = [number.issue, name_issue, sex_issue, born.issue, status_issue, change_issue]
    if number.is_valid and born.value and number.birth_date != born.value:
        issues.append("birth_date_differs_from_id")
    if number.is_valid and sex in (1, 2) and number.sex != sex:
        issues.append("sex_differs_from_id")
    if region and region[:6] + "000000" not in context.regions.names:
        issues.append("region_code_unknown")
    return Cleaned(
        {
            "id_number_clean": number.number,
            "is_id_number_valid": number.is_valid,
            "name_clean": name,
            "sex": sex,
            "birth_date_clean": born.value,
            "district_code": region[:6] or None,
            "community_code": region or None,
            "person_status": status,
            "status_changed_on": changed.value,
            "is_delta": context.source_file.endswith("_delta.csv"),
        },
        [issue for issue in issues if issue],
    )
