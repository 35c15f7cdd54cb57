"""The SQL cleaning functions the loader runs agree with the Python reference cleaners.

Every delivered value of test_cleaning.py's cases, and every distinct value of a generated
feed with frequent defects, cleaned both ways. The ID number, date and phone cleaners read
the usual forms on a short path and hand the rest to their `_any_form` function; that
function alone is held to the reference on every value too, so both paths are.
"""

from datetime import date, datetime

import pytest
from stdnum.cn import ric

from ingestion.cleaning.codes import ABILITY_LEVELS, SEX, clean_code
from ingestion.cleaning.dates import clean_date
from ingestion.cleaning.ids import clean_id_number
from ingestion.cleaning.names import clean_name
from ingestion.cleaning.phones import clean_phone
from ingestion.feeds import FEEDS, load_regions, load_source
from ingestion.generator import generate
from ingestion.reading import as_text
from ingestion.sql_codes import code_issue, code_value
from tests.conftest import FREQUENT_DEFECTS, empty_raw_layer
from tests.ingestion import test_cleaning
from warehouse.connection import connect


def delivered_values(test) -> list:
    """The first argument of every case of a parametrized test in test_cleaning.py."""
    cases = test.pytestmark[0].args[1]
    return [case.values[0] if hasattr(case, "values") else case[0] for case in cases]


def python_id(value):
    cleaned = clean_id_number(value)
    return (cleaned.number, cleaned.is_valid, cleaned.issue, cleaned.birth_date, cleaned.sex)


def python_date(value, swap):
    cleaned = clean_date(value, swap=swap)
    return (cleaned.value, cleaned.precision, cleaned.issue)


def sql_text(value):
    """A delivered value as the stage holds it: text (a workbook's date cell as ISO text)."""
    return as_text(value) if isinstance(value, date | datetime | float | int) else value


def sql_rows(conn, function: str, values, *extra) -> list[tuple]:
    args = ", ".join(["%s"] * (1 + len(extra)))
    return [
        conn.execute(f"select * from raw.{function}({args})", (sql_text(v), *extra)).fetchone()
        for v in values
    ]


def check_all(conn, ids, dates, phones, names) -> None:
    ids, dates, phones, names = (sorted(set(v), key=str) for v in (ids, dates, phones, names))
    for form in ("", "_any_form"):
        assert sql_rows(conn, f"clean_id_number{form}", ids) == [python_id(v) for v in ids]
        for swap in (False, True):
            expected = [python_date(v, swap) for v in dates]
            assert sql_rows(conn, f"clean_date{form}", dates, swap) == expected
        assert sql_rows(conn, f"clean_phone{form}", phones) == [clean_phone(v) for v in phones]
    assert sql_rows(conn, "clean_name", names) == [clean_name(v) for v in names]


def check_codes(conn, values, allowed, issue) -> None:
    for value in values:
        found = conn.execute(
            f"select {code_value('%(v)s', allowed)}, {code_issue('%(v)s', allowed, issue)}",
            {"v": value},
        ).fetchone()
        assert found == clean_code(value, allowed, issue), value


# test_cleaning's single cases: a valid check on an impossible date; a legacy Tianjin prefix
CHECKED_BODIES = [body + ric.calc_check_digit(body + "?") for body in
                  ("12010419420230124", "12010719460214242", "99010719460214242")]  # fmt: skip


@pytest.fixture
def conn(settings):
    with connect(settings) as connection:
        empty_raw_layer(connection)
        connection.commit()
        yield connection


def test_every_cleaning_case_reads_the_same_in_sql(conn):
    check_all(
        conn,
        ids=[*delivered_values(test_cleaning.test_id_numbers), *CHECKED_BODIES],
        dates=[*delivered_values(test_cleaning.test_dates_in_every_delivered_form), "1942-25-03"],
        phones=[*delivered_values(test_cleaning.test_phones), "12345", None],
        names=[*delivered_values(test_cleaning.test_names), "", None, "John  Smith", "·"],
    )
    check_codes(conn, delivered_values(test_cleaning.test_sex_codes), SEX, "x")
    levels = delivered_values(test_cleaning.test_ability_levels_short_and_long)
    check_codes(conn, [*levels, "能力", " ", None], ABILITY_LEVELS, "x")


COLUMNS = {  # what each feed delivers of each kind
    "ids": ["public_security_persons.id_number", "civil_affairs_payments.id_number",
            "institution_residents.id_number", "gov_service_cases.elder_document_number"],
    "dates": ["public_security_persons.birth_date", "public_security_persons.status_changed_date",
              "civil_affairs_payments.birth_month", "institution_residents.birth_date",
              "institution_residents.admission_date", "institution_residents.discharge_date"],
    "phones": ["civil_affairs_payments.phone", "institution_residents.contact_phone",
               "gov_service_cases.applicant_phone"],
    "names": ["public_security_persons.name", "civil_affairs_payments.name",
              "institution_residents.resident_name", "gov_service_cases.elder_name",
              "gov_service_cases.applicant_name"],
}  # fmt: skip


def test_a_generated_feed_with_frequent_defects_reads_the_same_in_sql(conn, settings, tmp_path):
    generate(tmp_path / "landing", tmp_path / "truth", elders=300, months=("2026-09", "2026-10"),
             seed=11, defects=FREQUENT_DEFECTS)  # fmt: skip
    load_regions(conn, tmp_path / "landing")
    for source in FEEDS:
        load_source(conn, settings, source, tmp_path / "landing")
    values = {}
    for kind, columns in COLUMNS.items():
        values[kind] = [
            value
            for column in columns
            for (value,) in conn.execute(
                "select distinct {} from raw.{}".format(*reversed(column.split(".")))
            )
        ]
        assert len(values[kind]) > 20, kind
    check_all(conn, **values)
    sexes = [v for (v,) in conn.execute("select distinct sex from raw.civil_affairs_payments")]
    check_codes(conn, sexes, SEX, "sex_unknown")
