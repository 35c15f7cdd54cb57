"""民政补贴发放名册: monthly subsidy rosters, one workbook per district (title, header, total)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path

from python_calamine import CalamineError, CalamineWorkbook

from ingestion.cleaning.codes import (
    ABILITY_LEVELS,
    HARDSHIP_TYPES,
    LIVING_SITUATIONS,
    SEX,
    SUBSIDY_TYPES,
    clean_code,
)
from ingestion.cleaning.dates import clean_date
from ingestion.cleaning.ids import clean_id_number
from ingestion.cleaning.names import clean_name
from ingestion.cleaning.phones import clean_phone
from ingestion.reading import Cleaned, FileContext, FileRejected, Row, as_text, map_header, pick
from warehouse.settings import FeedSettings

SOURCE = "civil_affairs"
TABLE = "raw.civil_affairs_payments"
HEADER_ROW = 2  # row 1 is the title; data starts on spreadsheet row 3
FILE_NAME = re.compile(r"^(\d{6})_[^_]+_(\d{6})\.xlsx$")
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


def read(path: Path, feed: FeedSettings) -> Iterator[Row]:
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
    for offset, row in enumerate(cells[HEADER_ROW:]):
        yield Row(HEADER_ROW + 1 + offset, pick(row, positions))


def _is_total(values: dict) -> bool:
    return any(
        str(values.get(key) or "").strip() in TOTAL_MARKERS for key in ("row_number", "name")
    )


def _amount(value) -> Decimal | None:
    try:
        amount = Decimal(str(value).strip()).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        return None
    return amount if amount.is_finite() else None


def _month(value) -> str | None:
    text = as_text(value) or ""
    found = re.fullmatch(r"(\d{4})-?(0[1-9]|1[0-2])", text.strip())
    return f"{found[1]}-{found[2]}" if found else None


def clean(values: dict, context: FileContext) -> Cleaned:
    """Clean one roster row; totals, blank rows and rows without an amount are quarantined."""
    if _is_total(values):
        return Cleaned({}, [], ("not_a_person", "a totals row (合计), not a person"))
    if not any(as_text(value) for value in values.values()):
        return Cleaned({}, [], ("empty_row", "an empty row"))
    name, name_issue = clean_name(as_text(values.get("name")))
    if not name:
        return Cleaned({}, [], ("name_missing", "姓名 is empty: the payment names nobody"))
    amount = _amount(values.get("amount"))
    if amount is None or amount < 0:
        raw = values.get("amount")
        return Cleaned({}, [], ("amount_invalid", f"发放金额（元） '{raw}' is not an amount"))
    month = _month(values.get("payment_month")) or context.month
    subsidy, subsidy_issue = clean_code(
        values.get("subsidy_type"), SUBSIDY_TYPES, "subsidy_unknown"
    )
    number = clean_id_number(as_text(values.get("id_number")))
    born = clean_date(values.get("birth_month"))
    district = (FILE_NAME.match(context.path.name) or [None, None])[1]
    street = context.regions.child_code(
        district and district + "000000", as_text(values.get("street"))
    )
    community = context.regions.child_code(street, as_text(values.get("community")))
    phone, phone_issue = clean_phone(as_text(values.get("phone")))
    issues = [number.issue, name_issue, born.issue, phone_issue, subsidy_issue]
    if as_text(values.get("street")) and not street:
        issues.append("street_not_in_district")
    if as_text(values.get("community")) and street and not community:
        issues.append("community_unknown")
    hardship, hardship_issue = clean_code(
        values.get("hardship_type"), HARDSHIP_TYPES, "hardship_unknown"
    )
    ability, ability_issue = clean_code(
        values.get("ability_level"), ABILITY_LEVELS, "ability_unknown"
    )
    living, living_issue = clean_code(
        values.get("living_situation"), LIVING_SITUATIONS, "living_unknown"
    )
    sex, sex_issue = clean_code(as_text(values.get("sex")), SEX, "sex_unknown")
    issues += [hardship_issue, ability_issue, living_issue, sex_issue]
    if _month(values.get("payment_month")) is None:
        issues.append("payment_month_unreadable")
    return Cleaned(
        {
            "id_number_clean": number.number,
            "is_id_number_valid": number.is_valid,
            "name_clean": name,
            "sex_clean": sex,
            "birth_date_clean": born.value,
            "birth_date_precision": born.precision,
            "district_code": district,
            "street_code": street,
            "community_code": community,
            "phone_clean": phone,
            "subsidy_type_clean": subsidy,
            "hardship_type_clean": hardship,
            "ability_level_clean": ability,
            "living_situation_clean": living,
            "amount_yuan": amount,
            "payment_month_clean": month,
        },
        [issue for issue in issues if issue],
    )
