"""政务服务平台老年人事项申办记录: service-platform applications (UTF-8 CSV with BOM)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from ingestion.cleaning.codes import CASE_RESULTS, DOCUMENT_TYPES, GOV_MATTERS, clean_code
from ingestion.cleaning.ids import clean_id_number, normalise
from ingestion.cleaning.names import clean_name
from ingestion.cleaning.phones import clean_phone
from ingestion.csv_files import read_csv
from ingestion.reading import Cleaned, FileContext, Row, rejected
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


def read(path: Path, feed: FeedSettings) -> Iterator[Row]:
    return read_csv(path, feed, FIELDS, ENCODING)


def _timestamp(text: str | None) -> datetime | None:
    try:
        return datetime.strptime((text or "").strip(), "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None


def clean(values: dict, context: FileContext) -> Cleaned:
    """Clean one case: the elder's fields describe the elder; an agent is only the applicant."""
    if not (values.get("case_number") or "").strip():
        return rejected("case_number_missing", "办件编号 is empty")
    elder, elder_issue = clean_name(values.get("elder_name"))
    if not elder:
        return rejected("name_missing", "老年人姓名 is empty: the case names no elder")
    applied = _timestamp(values.get("applied_at"))
    if applied is None:
        return rejected("applied_at_invalid", f"申请时间 '{values.get('applied_at')}' unreadable")
    applicant, _ = clean_name(values.get("applicant_name"))
    applicant_phone, phone_issue = clean_phone(values.get("applicant_phone"))
    document, document_issue = clean_code(
        values.get("elder_document_type"), DOCUMENT_TYPES, "document_type_unknown"
    )
    number = (
        clean_id_number(values.get("elder_document_number")) if document == RESIDENT_ID else None
    )
    matter, matter_issue = clean_code(values.get("matter"), GOV_MATTERS, "matter_unknown")
    result, result_issue = clean_code(values.get("result"), CASE_RESULTS, "result_unknown")
    completed = _timestamp(values.get("completed_at"))
    district, street, community = context.regions.parse_address(values.get("current_address"))
    issues = [elder_issue, phone_issue, document_issue, matter_issue, result_issue]
    issues += [number.issue if number else None, None if district else "address_unparsed"]
    if (values.get("completed_at") or "").strip() and completed is None:
        issues.append("completed_at_unreadable")
    return Cleaned(
        {
            "matter_clean": matter,
            "applicant_name_clean": applicant,
            "applicant_phone_clean": applicant_phone,
            "is_filed_by_agent": bool(applicant) and applicant != elder,
            "elder_name_clean": elder,
            "document_type_clean": document,
            "id_number_clean": number.number if number else None,
            "is_id_number_valid": bool(number and number.is_valid),
            "document_number_clean": normalise(values.get("elder_document_number")) or None,
            "district_code": district,
            "street_code": street,
            "community_code": community,
            "applied_at_clean": applied,
            "completed_at_clean": completed,
            "result_clean": result,
        },
        [issue for issue in issues if issue],
    )
