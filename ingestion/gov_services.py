"""政务服务平台老年人事项申办记录: service-platform applications (UTF-8 CSV with BOM)."""

from __future__ import annotations

from pathlib import Path

from ingestion.cleaning.codes import CASE_RESULTS, DOCUMENT_TYPES, GOV_MATTERS
from ingestion.csv_files import read_csv
from ingestion.reading import Delivered
from ingestion.regions import CITY_PREFIXES
from ingestion.sql_codes import code_issue, code_value
from warehouse.settings import FeedSettings

SOURCE = "gov_services"
TABLE = "raw.gov_service_cases"
ENCODING = "utf-8-sig"
RESIDENT_ID = "居民身份证"
FIELDS = (
    "case_number", "matter", "applicant_name", "applicant_phone", "elder_name",
    "elder_document_type", "elder_document_number", "current_address", "applied_at",
    "completed_at", "result",
)  # fmt: skip
CLEAN_COLUMNS = (
    ("matter_clean", "text"),
    ("applicant_name_clean", "text"),
    ("applicant_phone_clean", "text"),
    ("is_filed_by_agent", "boolean"),
    ("elder_name_clean", "text"),
    ("document_type_clean", "text"),
    ("id_number_clean", "text"),
    ("is_id_number_valid", "boolean"),
    ("document_number_clean", "text"),
    ("district_code", "char(6)"),
    ("street_code", "text"),
    ("community_code", "text"),
    ("applied_at_clean", "timestamp"),
    ("completed_at_clean", "timestamp"),
    ("result_clean", "text"),
)


def read(path: Path, feed: FeedSettings) -> Delivered:
    return read_csv(path, feed, FIELDS, ENCODING)


TIMESTAMP = r"^[0-9]+-[0-9][0-9]?-[0-9][0-9]? [0-9][0-9]?:[0-9][0-9]?:[0-9][0-9]?$"
CITY = "regexp_replace(" * len(CITY_PREFIXES)
UNPREFIXED = (
    CITY
    + "btrim(r.current_address, E' \\t\\n\\r\\f\\v')"
    + "".join(f", '^{prefix}', '')" for prefix in CITY_PREFIXES)
)
# Free-text addresses: the district, then the longest street of it, then the longest
# community of that street, each found at the start of what remains (天津市 dropped first).
ADDRESSES = f"""
with found_districts as (
    select distinct on (a.load_batch, a.source_row) a.load_batch, a.source_row, d.code as district,
        substr(a.address, char_length(d.name) + 1) as rest
    from (select load_batch, source_row, {UNPREFIXED} as address from rows as r offset 0) as a
    join raw.region_names as d
        on d.load_batch = %(regions)s and d.parent_code = '' and starts_with(a.address, d.name)
    order by a.load_batch, a.source_row, char_length(d.name) desc
),
found_streets as (
    select distinct on (f.load_batch, f.source_row) f.load_batch, f.source_row, c.code as street,
        substr(f.rest, char_length(c.name) + 1) as rest
    from found_districts as f
    join raw.region_names as c on c.load_batch = %(regions)s
        and c.parent_code = f.district || '000000' and starts_with(f.rest, c.name)
    order by f.load_batch, f.source_row, char_length(c.name) desc
),
found_communities as (
    select distinct on (s.load_batch, s.source_row) s.load_batch, s.source_row, c.code as community
    from found_streets as s
    join raw.region_names as c on c.load_batch = %(regions)s
        and c.parent_code = s.street and starts_with(s.rest, c.name)
    order by s.load_batch, s.source_row, char_length(c.name) desc
)
select f.load_batch, f.source_row, f.district, s.street, c.community
from found_districts as f
left join found_streets as s using (load_batch, source_row)
left join found_communities as c using (load_batch, source_row)
"""


def _timestamp(column: str) -> str:
    """YYYY-MM-DD HH:MM:SS (fields of one or two digits, as strptime reads them), or null."""
    parts = f"string_to_array(translate(raw.trimmed({column}), ' :', '--'), '-')"
    return f"""(select case when char_length(m[1]) = 4 and m[4]::int < 24 and m[5]::int < 60
            and m[6]::int < 60 and raw.is_date(m[1]::int, m[2]::int, m[3]::int)
        then make_timestamp(m[1]::int, m[2]::int, m[3]::int, m[4]::int, m[5]::int, m[6]::int)
        end from (select case when raw.trimmed({column}) ~ '{TIMESTAMP}' then {parts} end
                  as m offset 0) as found)"""


UNREADABLE = "'申请时间 ''' || coalesce(r.applied_at, 'None') || ''' unreadable'"
# The elder's fields describe the elder; an agent is only the applicant.
CLEANING = f"""
select r.*,
    case when r.case_number is null then 'case_number_missing'
         when coalesce(el.name, '') = '' then 'name_missing'
         when t.applied is null then 'applied_at_invalid' end as reject_reason,
    case when r.case_number is null then '办件编号 is empty'
         when coalesce(el.name, '') = '' then '老年人姓名 is empty: the case names no elder'
         when t.applied is null then {UNREADABLE} end as reject_message,
    {code_value("r.matter", GOV_MATTERS)} as matter_clean,
    ap.name as applicant_name_clean,
    ph.phone as applicant_phone_clean,
    coalesce(ap.name, '') <> '' and ap.name <> el.name as is_filed_by_agent,
    el.name as elder_name_clean,
    {code_value("r.elder_document_type", DOCUMENT_TYPES)} as document_type_clean,
    case when t.is_resident_id then id.number end as id_number_clean,
    coalesce(t.is_resident_id and id.is_valid, false) as is_id_number_valid,
    nullif(raw.id_normalised(r.elder_document_number), '') as document_number_clean,
    addr.district as district_code,
    addr.street as street_code,
    addr.community as community_code,
    t.applied as applied_at_clean,
    t.completed as completed_at_clean,
    {code_value("r.result", CASE_RESULTS)} as result_clean,
    array_remove(array[
        el.issue, ph.issue,
        {code_issue("r.elder_document_type", DOCUMENT_TYPES, "document_type_unknown")},
        {code_issue("r.matter", GOV_MATTERS, "matter_unknown")},
        {code_issue("r.result", CASE_RESULTS, "result_unknown")},
        case when t.is_resident_id then id.issue end,
        case when addr.district is null then 'address_unparsed' end,
        case when r.completed_at is not null and t.completed is null
             then 'completed_at_unreadable' end
    ], null) as issues
from rows as r
cross join lateral (
    select {_timestamp("r.applied_at")} as applied, {_timestamp("r.completed_at")} as completed,
        coalesce(raw.trimmed(r.elder_document_type) = '{RESIDENT_ID}', false) as is_resident_id
    offset 0
) as t
cross join lateral raw.clean_name(r.elder_name) as el
cross join lateral raw.clean_name(r.applicant_name) as ap
cross join lateral raw.clean_phone(r.applicant_phone) as ph
cross join lateral raw.clean_id_number(r.elder_document_number) as id
left join ({ADDRESSES}) as addr
    on addr.load_batch = r.load_batch and addr.source_row = r.source_row
"""
