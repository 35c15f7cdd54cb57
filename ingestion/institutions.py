"""养老机构在院老人名册: institution resident rosters, JSON Lines, one file per institution."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from ingestion.cleaning.codes import CARE_LEVELS, DISCHARGE_REASONS, SEX
from ingestion.reading import Delivered, FileRejected, Row
from ingestion.sql_codes import code_issue, code_value
from warehouse.settings import FeedSettings

SOURCE = "institutions"
TABLE = "raw.institution_residents"
FIELDS = (
    "institution_code", "institution_name", "institution_district_code", "resident_name",
    "id_number", "gender", "birth_date", "admission_date", "discharge_date",
    "discharge_reason", "care_level", "contact_phone", "bed_no",
)  # fmt: skip
POSITIONS = {field: index for index, field in enumerate(FIELDS)}
TYPED_CELLS = True  # JSON values may be numbers or booleans
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


def read(path: Path, feed: FeedSettings) -> Delivered:
    """Rows located by line number; a line that is not a JSON object is a problem row."""
    with path.open("rb") as handle:
        start = handle.read(65536)
    if not start.strip():
        raise FileRejected("empty_file", f"{path.name}: the file is empty")
    return Delivered(POSITIONS, len(FIELDS), _rows(path, feed))


def _rows(path: Path, feed: FeedSettings) -> Iterator[Row]:
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
        problem = ("malformed_json", f"not JSON: {exc.msg}")
        return Row(number, [line.rstrip("\n")], POSITIONS, problem)
    if not isinstance(record, dict):
        return Row(number, [line.rstrip("\n")], POSITIONS, ("malformed_json", "not a JSON object"))
    values = {renames.get(key, key): value for key, value in record.items()}
    return Row(number, [values.get(field) for field in FIELDS], POSITIONS)


NOT_A_DATE = "'admission_date ''' || coalesce(r.admission_date, 'None') || ''' is not a date'"
# A resident without a name or an admission date is quarantined.
CLEANING = f"""
select r.*,
    case when coalesce(nm.name, '') = '' then 'name_missing'
         when admitted.value is null then 'admission_date_invalid' end as reject_reason,
    case when coalesce(nm.name, '') = '' then 'resident_name is empty: the row names nobody'
         when admitted.value is null then {NOT_A_DATE} end as reject_message,
    code.is_valid as is_institution_code_valid,
    id.number as id_number_clean,
    id.is_valid as is_id_number_valid,
    nm.name as name_clean,
    {code_value("r.gender", SEX)}::smallint as sex,
    born.value as birth_date_clean,
    admitted.value as admitted_on,
    discharged.value as discharged_on,
    {code_value("r.discharge_reason", DISCHARGE_REASONS)} as discharge_reason_clean,
    {code_value("r.care_level", CARE_LEVELS)} as care_level_clean,
    ph.phone as phone_clean,
    array_remove(array[
        nm.issue, id.issue, born.issue,
        {code_issue("r.gender", SEX, "sex_unknown")},
        {code_issue("r.discharge_reason", DISCHARGE_REASONS, "discharge_reason_unknown")},
        {code_issue("r.care_level", CARE_LEVELS, "care_level_unknown")},
        ph.issue,
        case when discharged.issue <> 'date_missing' then 'discharge_' || discharged.issue end,
        'admission_' || admitted.issue
    ], null) as issues
from rows as r
cross join lateral raw.clean_name(r.resident_name) as nm
cross join lateral raw.clean_date(r.admission_date, true) as admitted
cross join lateral raw.clean_id_number(r.id_number) as id
cross join lateral raw.clean_date(r.birth_date, true) as born
cross join lateral raw.clean_date(r.discharge_date, true) as discharged
cross join lateral raw.clean_phone(r.contact_phone) as ph
left join (  -- one code per file, as a rule: checked once per distinct value
    select institution_code, raw.is_uscc(institution_code) as is_valid
    from (select distinct institution_code from rows) as codes
) as code on code.institution_code is not distinct from r.institution_code
"""
