"""Reference regions (reference/regions.csv): the divisions that names and addresses resolve to.

The resolving itself is SQL (region_children in ingestion/loader.py, each feed's CLEANING),
against the reference file loaded last.
"""

from __future__ import annotations

from pathlib import Path

from ingestion.csv_files import read_csv
from ingestion.reading import Delivered
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


def read(path: Path, feed: FeedSettings) -> Delivered:
    """Rows of regions.csv (UTF-8, header row), numbered from 1 after the header."""
    return read_csv(path, feed, FIELDS, "utf-8-sig")


LEVEL_LIST = ", ".join(f"'{level}'" for level in LEVELS)
NOT_A_CODE = "'code ''' || coalesce(r.code, '') || ''' is not a 12- or 15-digit code'"
NOT_A_LEVEL = (
    "'level ''' || coalesce(r.level, '') || ''' is not one of "
    + str(LEVELS).replace("'", "''")
    + "'"
)
# A division row: a 12- or 15-digit code and a known level, or quarantined.
CLEANING = f"""
select r.*,
    case when not c.is_code then 'region_code_invalid'
         when coalesce(r.level, '') not in ({LEVEL_LIST}) then 'region_level_unknown'
         when r.name is null then 'name_missing' end as reject_reason,
    case when not c.is_code then {NOT_A_CODE}
         when coalesce(r.level, '') not in ({LEVEL_LIST}) then {NOT_A_LEVEL}
         when r.name is null then 'the division has no name' end as reject_message,
    '{{}}'::text[] as issues
from rows as r
cross join lateral (
    select coalesce(r.code ~ '^[0-9]+$' and char_length(r.code) in (12, 15), false) as is_code
) as c
"""

# Names resolved to codes, per reference batch: districts (parent ''; legacy names too, unless
# a current district has the name) and children within their parent; the last row wins.
NAMES_DDL = """
create table if not exists raw.region_names (
    load_batch bigint not null references raw.load_log (load_batch) on delete cascade,
    parent_code text not null,
    name text not null,
    code text not null,
    primary key (load_batch, parent_code, name)
)
"""
LEGACY_ROWS = ", ".join(f"('{name}', '{code}')" for name, code in LEGACY_DISTRICTS.items())
FILL_NAMES = f"""
insert into raw.region_names (load_batch, parent_code, name, code)
select distinct on (parent_code, name) %(batch)s, parent_code, name, code from (
    select case when level = 'district' then '' else parent_code end as parent_code, name,
        case when level = 'district' then left(code, 6) else code end as code, source_row
    from raw.reference_regions
    where load_batch = %(batch)s and (level = 'district' or parent_code is not null)
    union all
    select '', name, code, -1 from (values {LEGACY_ROWS}) as legacy (name, code)
) as named
where not exists (select from raw.region_names where load_batch = %(batch)s)
order by parent_code, name, source_row desc
"""
