"""Canonical cleaning of every defect the feed contracts name; originals are never 'corrected'."""

from datetime import date

import pytest
from stdnum.cn import ric

from ingestion.cleaning.codes import ABILITY_LEVELS, SEX, clean_code
from ingestion.cleaning.dates import clean_date
from ingestion.cleaning.ids import clean_id_number
from ingestion.cleaning.names import clean_name
from ingestion.cleaning.phones import clean_phone

VALID = "120104194203051243"  # female, born 1942-03-05, 南开区


@pytest.mark.parametrize(
    ("delivered", "number", "is_valid", "issue"),
    [
        pytest.param(VALID, VALID, True, None, id="valid"),
        pytest.param("120104194203051253", "120104194203051253", False, "id_checksum_invalid",
                     id="one digit typo"),
        pytest.param("120104194230051243", "120104194230051243", False, "id_checksum_invalid",
                     id="adjacent transposition"),
        pytest.param("１２０１０４１９４２０３０５１２４３", VALID, True, None,
                     id="full-width digits"),
        pytest.param(" 120104 19420305 1243 ", VALID, True, None, id="spaces inside"),
        pytest.param("12010419501112211x", "12010419501112211X", True, None, id="lowercase x"),
        pytest.param("", None, False, "id_missing", id="missing"),
        pytest.param(None, None, False, "id_missing", id="null"),
        pytest.param("120104********1243", "120104********1243", False, "id_masked", id="masked"),
        pytest.param("120104420305124", "120104194203051243", True, "id_converted_from_15",
                     id="legacy 15 digits"),
        pytest.param("12010419420305124", "12010419420305124", False, "id_malformed",
                     id="17 characters"),
        pytest.param("120104194202301240", "120104194202301240", False, "id_checksum_invalid",
                     id="impossible date and bad check"),
    ],
)  # fmt: skip
def test_id_numbers(delivered, number, is_valid, issue):
    cleaned = clean_id_number(delivered)
    assert (cleaned.number, cleaned.is_valid, cleaned.issue) == (number, is_valid, issue)


def test_an_id_with_a_valid_check_but_impossible_birth_date_is_invalid():
    body = "12010419420230124"
    number = body + ric.calc_check_digit(body + "?")
    assert clean_id_number(number).issue == "id_birth_date_invalid"


def test_a_valid_id_carries_birth_date_and_sex():
    cleaned = clean_id_number(VALID)
    assert (cleaned.birth_date, cleaned.sex) == (date(1942, 3, 5), 2)


def test_legacy_tianjin_prefixes_are_valid_places():
    body = "12010719460214242"  # 塘沽区, abolished in 2009
    assert clean_id_number(body + ric.calc_check_digit(body + "?")).issue is None


@pytest.mark.parametrize(
    ("delivered", "value", "precision", "issue"),
    [
        pytest.param("1942.03", date(1942, 3, 1), "month", None, id="dotted year-month"),
        pytest.param("1942年3月", date(1942, 3, 1), "month", None, id="chinese year-month"),
        pytest.param("1942-03-05", date(1942, 3, 5), "day", None, id="iso"),
        pytest.param("19420305", date(1942, 3, 5), "day", None, id="compact"),
        pytest.param("1942/3/5", date(1942, 3, 5), "day", None, id="slashes"),
        pytest.param(15405.0, date(1942, 3, 5), "day", None, id="excel serial number"),
        pytest.param("15405", date(1942, 3, 5), "day", None, id="excel serial as text"),
        pytest.param(date(1942, 3, 5), date(1942, 3, 5), "day", None, id="excel date cell"),
        pytest.param("", None, None, "date_missing", id="missing"),
        pytest.param("不详", None, None, "date_unparseable", id="unreadable"),
    ],
)
def test_dates_in_every_delivered_form(delivered, value, precision, issue):
    cleaned = clean_date(delivered)
    assert (cleaned.value, cleaned.precision, cleaned.issue) == (value, precision, issue)


def test_a_month_day_swap_is_flagged_only_where_swaps_are_allowed():
    assert clean_date("1942-25-03", swap=True).value == date(1942, 3, 25)
    assert clean_date("1942-25-03", swap=True).issue == "date_month_day_swapped"
    assert clean_date("1942-25-03").issue == "date_unparseable"


@pytest.mark.parametrize(
    ("delivered", "expected"),
    [
        pytest.param("13800138000", "13800138000", id="mobile"),
        pytest.param("+86 138 0013 8000", "13800138000", id="+86 and spaces"),
        pytest.param("86-13800138000", "13800138000", id="86 and dash"),
        pytest.param("138-0013-8000", "13800138000", id="dashes"),
        pytest.param("022-23456789", "022-23456789", id="tianjin landline"),
        pytest.param("(022)2345 6789", "022-23456789", id="brackets"),
        pytest.param("23456789", "022-23456789", id="local without area code"),
        pytest.param("+86 22 2345 6789", "022-23456789", id="international landline"),
        pytest.param("010-12345678", "010-12345678", id="beijing landline"),
    ],
)
def test_phones(delivered, expected):
    assert clean_phone(delivered) == (expected, None)


def test_an_impossible_phone_is_kept_and_flagged():
    assert clean_phone("12345") == ("12345", "phone_invalid")


@pytest.mark.parametrize(
    ("delivered", "expected"),
    [
        pytest.param("王 秀英", "王秀英", id="space inside"),
        pytest.param("王秀英 ", "王秀英", id="trailing space"),
        pytest.param("王秀英", "王秀英", id="full-width"),
        pytest.param("买买提・艾力", "买买提·艾力", id="katakana middle dot"),
        pytest.param("买买提.艾力", "买买提·艾力", id="full stop as dot"),
        pytest.param("买买提 · 艾力", "买买提·艾力", id="spaced dot"),
    ],
)
def test_names(delivered, expected):
    assert clean_name(delivered) == (expected, None)


@pytest.mark.parametrize(
    ("delivered", "expected"),
    [("能力完好", "能力完好"), ("能力轻度受损", "轻度失能"), ("中度失能", "中度失能"),
     ("能力重度受损", "重度失能"), ("能力完全丧失", "完全失能")],
)  # fmt: skip
def test_ability_levels_short_and_long(delivered, expected):
    assert clean_code(delivered, ABILITY_LEVELS, "x") == (expected, None)


@pytest.mark.parametrize(("delivered", "expected"), [("1", 1), ("男", 1), ("M", 1), ("F", 2)])
def test_sex_codes(delivered, expected):
    assert clean_code(delivered, SEX, "x") == (expected, None)
