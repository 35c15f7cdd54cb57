"""The checks of each raw feed, as data: name, default severity, GX expectation, failing rows.

Every check has a stable name (used in warehouse.yml to change its threshold or severity)
and a SQL predicate that is true for a row that passes, so examples can be stored by their
lineage locator instead of by value (no clear-text ID numbers or names in `quality`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ingestion.cleaning.codes import (
    ABILITY_LEVELS,
    CARE_LEVELS,
    GOV_MATTERS,
    SUBSIDY_TYPES,
)

ETHNICITY_CODES = [f"{n:02d}" for n in range(1, 57)] + ["97", "98"]  # GB 3304
EARLIEST_BIRTH = "1900-01-01"


@dataclass(frozen=True)
class Check:
    name: str
    description: str
    passes: str  # SQL predicate over one row, true when the row passes
    severity: str = "error"  # error stops downstream; warning is reported and continues
    threshold: float = 1.0  # share of rows that must pass


def _in(column: str, values) -> str:
    """The delivered value is in the code list (checked as delivered: cleaning nulls unknowns)."""
    quoted = ", ".join("'" + str(v).replace("'", "''") + "'" for v in values)
    return f"{column} is null or {column}::text in ({quoted})"


def _known_region(column: str) -> str:
    return (
        f"{column} is null or exists (select 1 from raw.reference_regions r "
        f"where r.code = {column} or r.code = {column} || '000000')"
    )


ID_MATCHES_BIRTH = (
    "not is_id_number_valid or birth_date_clean is null "
    "or substr(id_number_clean, 7, 8) = to_char(birth_date_clean, 'YYYYMMDD')"
)
# Rosters often give only the month (1942.03): compare as much as was delivered.
ID_MATCHES_BIRTH_MONTH = (
    "not is_id_number_valid or birth_date_clean is null or substr(id_number_clean, 7, "
    "case birth_date_precision when 'year' then 4 when 'month' then 6 else 8 end) = "
    "left(to_char(birth_date_clean, 'YYYYMMDD'), "
    "case birth_date_precision when 'year' then 4 when 'month' then 6 else 8 end)"
)


def _common(valid_id_share: float, id_matches_birth: str = ID_MATCHES_BIRTH) -> list[Check]:
    return [
        Check("valid_id_share", "share of rows whose ID number has a valid check character "
              "and birth date", "is_id_number_valid", threshold=valid_id_share),
        Check("birth_dates_plausible", f"birth dates between {EARLIEST_BIRTH} and today",
              f"birth_date_clean is null or birth_date_clean between '{EARLIEST_BIRTH}' "
              "and current_date"),
        Check("id_matches_birth_date", "the birth date inside a valid ID number equals the "
              "delivered birth date (a custom expectation)", id_matches_birth,
              severity="warning", threshold=0.97),
    ]  # fmt: skip


SUITES: dict[str, Callable[[], list[Check]]] = {
    "public_security": lambda: [
        *_common(0.99),
        Check("sex_codes_known", "性别 in GB/T 2261.1", _in("sex_code", (0, 1, 2, 9))),
        Check("ethnicity_codes_known", "民族 in GB 3304", _in("ethnicity_code", ETHNICITY_CODES)),
        Check(
            "region_codes_known",
            "户籍地区划代码 exists in the reference regions",
            _known_region("community_code"),
            severity="warning",
            threshold=0.99,
        ),
    ],
    "civil_affairs": lambda: [
        *_common(0.9, ID_MATCHES_BIRTH_MONTH),
        Check(
            "subsidy_types_known",
            "补贴类型 in the four subsidy types",
            _in("subsidy_type", SUBSIDY_TYPES),
        ),
        Check(
            "ability_levels_known",
            "能力等级 in GB/T 42195-2022 (short or long form)",
            _in("ability_level", ABILITY_LEVELS),
        ),
        Check(
            "amounts_within_bounds",
            "发放金额 between 0 and the largest monthly subsidy",
            "amount_yuan between 0 and 1000",
        ),
        Check(
            "streets_known",
            "街道 is a street of the roster's district",
            "street_code is not null",
            severity="warning",
            threshold=0.97,
        ),
    ],
    "institutions": lambda: [
        *_common(0.6),
        Check(
            "care_levels_known",
            "care_level in 自理/半护理/全护理/特级护理",
            _in("care_level", CARE_LEVELS),
        ),
        Check(
            "institution_codes_valid",
            "unified social credit codes with a valid check",
            "is_institution_code_valid",
            threshold=0.99,
        ),
        Check(
            "admissions_plausible",
            "admitted before discharged and not in the future",
            "admitted_on <= current_date and (discharged_on is null "
            "or discharged_on >= admitted_on)",
        ),
    ],
    "gov_services": lambda: [
        Check("matters_known", "事项名称 in the five matters", _in("matter", GOV_MATTERS)),
        Check(
            "districts_parsed",
            "现居住地址 resolves to a Tianjin district",
            "district_code is not null",
            severity="warning",
            threshold=0.9,
        ),
        Check(
            "completion_after_application",
            "办结时间 not before 申请时间",
            "completed_at_clean is null or completed_at_clean >= applied_at_clean",
        ),
    ],
}
