"""民政补贴发放名册: monthly subsidy rosters, one workbook per district (title, header, total)."""

from __future__ import annotations

from pathlib import Path

from python_calamine import CalamineError, CalamineWorkbook

from ingestion.cleaning.codes import (
    ABILITY_LEVELS,
    HARDSHIP_TYPES,
    LIVING_SITUATIONS,
    SEX,
    SUBSIDY_TYPES,
)
from ingestion.reading import Delivered, FileRejected, Row, map_header
from ingestion.sql_codes import code_issue, code_value
from warehouse.settings import FeedSettings

SOURCE = "civil_affairs"
TABLE = "raw.civil_affairs_payments"
HEADER_ROW = 2  # row 1 is the title; data starts on spreadsheet row 3
TYPED_CELLS = True  # workbook cells are numbers and dates as well as text
FILE_NAME = r"^(\d{6})_[^_]+_(\d{6})\.xlsx$"  # district code, district name, month
TOTAL_MARKERS = ("合计", "总计", "小计")
FIELDS = (
    "row_number", "name", "id_number", "sex", "birth_month", "street", "community", "phone",
    "subsidy_type", "hardship_type", "ability_level", "living_situation", "amount",
    "payment_month", "remarks",
)  # fmt: skip
CLEAN_COLUMNS = (
    ("id_number_clean", "text"),
    ("is_id_number_valid", "boolean"),
    ("name_clean", "text"),
    ("sex_clean", "smallint"),
    ("birth_date_clean", "date"),
    ("birth_date_precision", "text"),
    ("district_code", "char(6)"),
    ("street_code", "text"),
    ("community_code", "text"),
    ("phone_clean", "text"),
    ("subsidy_type_clean", "text"),
    ("hardship_type_clean", "text"),
    ("ability_level_clean", "text"),
    ("living_situation_clean", "text"),
    ("amount_yuan", "numeric(12, 2)"),
    ("payment_month_clean", "char(7)"),
)


def read(path: Path, feed: FeedSettings) -> Delivered:
    """Rows located by their spreadsheet row number, as Excel shows it (data from row 3)."""
    try:
        sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
        cells = sheet.to_python(skip_empty_area=False)
    except (CalamineError, OSError, ValueError, IndexError) as exc:
        message = f"{path.name}: not a readable workbook: {exc}"
        raise FileRejected("unreadable_workbook", message) from None
    if len(cells) < HEADER_ROW:
        raise FileRejected("empty_file", f"{path.name}: no header row (row {HEADER_ROW})")
    positions = map_header(cells[HEADER_ROW - 1], feed, FIELDS, path)
    width = max(len(row) for row in cells)
    rows = (
        Row(HEADER_ROW + 1 + offset, row, positions)
        for offset, row in enumerate(cells[HEADER_ROW:])
    )
    return Delivered(positions, width, rows)


MARKERS = ", ".join(f"'{marker}'" for marker in TOTAL_MARKERS)
AMOUNT = r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$"
MONTH = r"^[0-9][0-9][0-9][0-9]-?(0[1-9]|1[0-2])$"  # matched only: captures are slow
NOT_AN_AMOUNT = "'发放金额（元） ''' || coalesce(r.amount, 'None') || ''' is not an amount'"
# Totals, blank rows, rows without a name and rows without an amount are quarantined.
CLEANING = f"""
with places as materialized (  -- each file's street and community names, resolved once
    select p.load_batch, p.street_name, p.community_name, p.district,
        street.code as street_code, community.code as community_code
    from (
        select distinct r.load_batch, f.district,
            coalesce(raw.trimmed(r.street), '') as street_name,
            coalesce(raw.trimmed(r.community), '') as community_name
        from rows as r
        join (  -- the district, from the file's name
            select load_batch, (regexp_match(file_name, '{FILE_NAME}'))[1] as district
            from files offset 0
        ) as f on f.load_batch = r.load_batch
    ) as p
    left join raw.region_names as street
        on street.load_batch = %(regions)s and street.parent_code = p.district || '000000'
        and street.name = p.street_name
    left join raw.region_names as community
        on community.load_batch = %(regions)s and community.parent_code = street.code
        and community.name = p.community_name
)
select r.*,
    case when v.is_total then 'not_a_person' when v.is_empty then 'empty_row'
         when coalesce(nm.name, '') = '' then 'name_missing'
         when v.amount is null or v.amount < 0 then 'amount_invalid' end as reject_reason,
    case when v.is_total then 'a totals row (合计), not a person'
         when v.is_empty then 'an empty row'
         when coalesce(nm.name, '') = '' then '姓名 is empty: the payment names nobody'
         when v.amount is null or v.amount < 0 then {NOT_AN_AMOUNT}
    end as reject_message,
    id.number as id_number_clean,
    id.is_valid as is_id_number_valid,
    nm.name as name_clean,
    {code_value("r.sex", SEX)}::smallint as sex_clean,
    born.value as birth_date_clean,
    born.date_precision as birth_date_precision,
    p.district as district_code,
    p.street_code,
    p.community_code,
    ph.phone as phone_clean,
    {code_value("r.subsidy_type", SUBSIDY_TYPES)} as subsidy_type_clean,
    {code_value("r.hardship_type", HARDSHIP_TYPES)} as hardship_type_clean,
    {code_value("r.ability_level", ABILITY_LEVELS)} as ability_level_clean,
    {code_value("r.living_situation", LIVING_SITUATIONS)} as living_situation_clean,
    v.amount as amount_yuan,
    coalesce(v.month, %(month)s) as payment_month_clean,
    array_remove(array[
        id.issue, nm.issue, born.issue, ph.issue,
        {code_issue("r.subsidy_type", SUBSIDY_TYPES, "subsidy_unknown")},
        case when r.street is not null and p.street_code is null
             then 'street_not_in_district' end,
        case when r.community is not null and p.street_code is not null
                  and p.community_code is null then 'community_unknown' end,
        {code_issue("r.hardship_type", HARDSHIP_TYPES, "hardship_unknown")},
        {code_issue("r.ability_level", ABILITY_LEVELS, "ability_unknown")},
        {code_issue("r.living_situation", LIVING_SITUATIONS, "living_unknown")},
        {code_issue("r.sex", SEX, "sex_unknown")},
        case when v.month is null then 'payment_month_unreadable' end
    ], null) as issues
from rows as r
left join places as p  -- always found; a left join keeps the planner's estimate of the rows
    on p.load_batch = r.load_batch and p.street_name = coalesce(raw.trimmed(r.street), '')
    and p.community_name = coalesce(raw.trimmed(r.community), '')
cross join lateral (
    select
        coalesce(raw.trimmed(r.row_number) in ({MARKERS}), false)
            or coalesce(raw.trimmed(r.name) in ({MARKERS}), false) as is_total,
        num_nonnulls({", ".join(f"r.{name}" for name in FIELDS)}) = 0 as is_empty,
        case when raw.trimmed(r.amount) ~ '{AMOUNT}'
             then round(raw.trimmed(r.amount)::numeric, 2) end as amount,
        case when raw.trimmed(r.payment_month) ~ '{MONTH}'
             then left(raw.trimmed(r.payment_month), 4) || '-'
                  || right(raw.trimmed(r.payment_month), 2) end as month
    offset 0
) as v
cross join lateral raw.clean_name(r.name) as nm
cross join lateral raw.clean_id_number(r.id_number) as id
cross join lateral raw.clean_date(r.birth_month, false) as born
cross join lateral raw.clean_phone(r.phone) as ph
"""
