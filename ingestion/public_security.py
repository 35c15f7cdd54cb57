"""公安人口信息: the public-security population extracts (GB18030 CSV, CRLF, header row).

The authority for identity, birth date and death.
"""

from __future__ import annotations

from pathlib import Path

from ingestion.cleaning.codes import CHANGE_TYPES, PERSON_STATUS, SEX
from ingestion.csv_files import read_csv
from ingestion.reading import Delivered
from ingestion.sql_codes import code_issue, code_value
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


def read(path: Path, feed: FeedSettings) -> Delivered:
    return read_csv(path, feed, FIELDS, ENCODING)


# A row without an ID number cannot be the authority for anyone.
CLEANING = rf"""
select r.*,
    case when id.issue = 'id_missing' then 'id_missing' end as reject_reason,
    case when id.issue = 'id_missing'
         then '公民身份号码 is empty: the registry row names nobody' end as reject_message,
    id.number as id_number_clean,
    id.is_valid as is_id_number_valid,
    nm.name as name_clean,
    {code_value("r.sex_code", SEX)}::smallint as sex,
    born.value as birth_date_clean,
    left(raw.trimmed(r.registered_region_code), 6) as district_code,
    raw.trimmed(r.registered_region_code) as community_code,
    {code_value("r.status_code", PERSON_STATUS)} as person_status,
    changed.value as status_changed_on,
    r.source_file like '%%\_delta.csv' as is_delta,
    array_remove(array[
        id.issue, nm.issue,
        {code_issue("r.sex_code", SEX, "sex_code_unknown")},
        born.issue,
        {code_issue("r.status_code", PERSON_STATUS, "status_unknown")},
        {code_issue("r.change_type", CHANGE_TYPES, "change_type_unknown")},
        case when id.is_valid and born.value <> id.birth_date
             then 'birth_date_differs_from_id' end,
        case when id.is_valid and {code_value("r.sex_code", SEX)} in (1, 2)
                  and {code_value("r.sex_code", SEX)} <> id.sex
             then 'sex_differs_from_id' end,
        case when left(raw.trimmed(r.registered_region_code), 6) || '000000' not in (
                select code from raw.reference_regions where load_batch = %(regions)s)
             then 'region_code_unknown' end
    ], null) as issues
from rows as r
cross join lateral raw.clean_id_number(r.id_number) as id
cross join lateral raw.clean_name(r.name) as nm
cross join lateral raw.clean_date(r.birth_date, false) as born
cross join lateral raw.clean_date(r.status_changed_date, false) as changed
"""
