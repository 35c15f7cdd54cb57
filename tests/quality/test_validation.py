"""Raw-feed suites: clean data passes, each planted defect is caught, thresholds configurable."""

import re
from contextlib import contextmanager

import pytest
import yaml

from ingestion.feeds import FEEDS, load_regions, load_source
from ingestion.generator import DefectRates, generate
from quality.validation.report import write_report
from quality.validation.run import validate
from tests.conftest import empty_raw_layer
from warehouse.connection import connect
from warehouse.settings import load_settings

MONTH = "2026-10"


@pytest.fixture(scope="module")
def clean_month(settings, tmp_path_factory):
    """One clean delivery month of every feed, loaded."""
    folder = tmp_path_factory.mktemp("validation")
    generate(folder / "landing", folder / "truth", elders=300, months=(MONTH, MONTH), seed=3,
             defects=DefectRates.none())  # fmt: skip
    with connect(settings) as conn:
        empty_raw_layer(conn)
        conn.commit()
        load_regions(conn, folder / "landing")
        for source in FEEDS:
            load_source(conn, settings, source, folder / "landing")
    return settings


@contextmanager
def planted(conn, table: str, change: str, where: str):
    """Commit a defect into raw rows (GX reads committed data), and put the rows back after."""
    conn.execute(f"create temp table saved as select * from raw.{table} where {where}")
    conn.execute(f"update raw.{table} set {change} where {where}")
    conn.commit()
    try:
        yield
    finally:
        conn.rollback()
        conn.execute(f"delete from raw.{table} where {where}")
        conn.execute(f"insert into raw.{table} select * from saved")
        conn.execute("drop table saved")
        conn.commit()


def outcomes(settings, source, run_id="test") -> dict:
    with connect(settings) as conn:
        return {o.check: o for o in validate(conn, settings, source, MONTH, run_id)}


@pytest.mark.parametrize("source", list(FEEDS))
def test_clean_deliveries_pass_every_check(clean_month, source):
    failed = [o.message for o in outcomes(clean_month, source).values() if not o.success]
    assert failed == []


PLANTED = [
    ("public_security", "public_security_persons", "is_id_number_valid = false", 10,
     "valid_id_share", "error"),
    ("public_security", "public_security_persons", "sex_code = '7'", 1, "sex_codes_known",
     "error"),
    ("public_security", "public_security_persons", "birth_date_clean = date '1850-01-01'", 1,
     "birth_dates_plausible", "error"),
    ("public_security", "public_security_persons", "community_code = '999999999999'", 10,
     "region_codes_known", "warning"),
    ("civil_affairs", "civil_affairs_payments", "amount_yuan = 5000", 1,
     "amounts_within_bounds", "error"),
    ("civil_affairs", "civil_affairs_payments", "subsidy_type = '旅游补贴'", 1,
     "subsidy_types_known", "error"),
    ("institutions", "institution_residents", "care_level = '半自理'", 1, "care_levels_known",
     "error"),
    ("gov_services", "gov_service_cases",
     "completed_at_clean = applied_at_clean - interval '1 day'", 1,
     "completion_after_application", "error"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("source", "table", "change", "rows", "check", "severity"),
    [pytest.param(*case, id=f"{case[0]}: {case[4]}") for case in PLANTED],
)
def test_a_planted_defect_is_caught(clean_month, source, table, change, rows, check, severity):
    where = (
        f"(source_file, source_row) in (select source_file, source_row from raw.{table}"
        f" order by 1, 2 limit {rows})"
    )
    with connect(clean_month) as conn, planted(conn, table, change, where):
        run_id = f"planted {source} {check}"
        results = {o.check: o for o in validate(conn, clean_month, source, MONTH, run_id)}
        examples = conn.execute(
            "select e.source_file, e.source_row from quality.validation_examples e"
            " join quality.validation_results r using (validation_id)"
            " where r.run_id = %s and r.check_name = %s",
            (run_id, check),
        ).fetchall()
    assert not results[check].success, results[check].message
    assert results[check].severity == severity
    assert f"{source} {MONTH}: {check}" in results[check].message
    assert 0 < len(examples) <= clean_month.quality.examples
    assert all(file.startswith(f"{source}/") and row > 0 for file, row in examples)


def test_examples_carry_locators_not_values(clean_month):
    with connect(clean_month) as conn:
        columns = [row[0] for row in conn.execute(
            "select column_name from information_schema.columns"
            " where table_schema = 'quality' and table_name = 'validation_examples'"
        )]  # fmt: skip
    assert sorted(columns) == ["source_file", "source_row", "validation_id"]


def test_thresholds_and_severity_come_from_warehouse_yml(clean_month, tmp_path):
    data = yaml.safe_load(clean_month.config_path.read_text(encoding="utf-8"))
    data["quality"]["checks"]["public_security.valid_id_share"] = {
        "threshold": 0.5, "severity": "warning"
    }  # fmt: skip
    path = tmp_path / "warehouse.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    relaxed = load_settings(path)
    change = "is_id_number_valid = false"
    with connect(clean_month) as conn, planted(conn, "public_security_persons", change,
                                               "source_row % 5 = 0"):  # fmt: skip
        strict = {o.check: o for o in validate(conn, clean_month, "public_security", MONTH, "s")}
        loose = {o.check: o for o in validate(conn, relaxed, "public_security", MONTH, "l")}
    assert not strict["valid_id_share"].success
    assert loose["valid_id_share"].success
    assert loose["valid_id_share"].severity == "warning"


def test_the_stewards_report_shows_failures_without_personal_data(clean_month):
    change = "amount_yuan = 5000"
    with connect(clean_month) as conn, planted(conn, "civil_affairs_payments", change,
                                               "source_row = 3"):  # fmt: skip
        validate(conn, clean_month, "civil_affairs", MONTH, "report")
        path = write_report(conn, clean_month)
        names = [
            row[0]
            for row in conn.execute(
                "select name_clean from raw.civil_affairs_payments where name_clean is not null"
            )
        ]
    html = path.read_text(encoding="utf-8")
    assert "amounts_within_bounds" in html and "未通过（错误）" in html
    assert "第3行" in html
    assert not re.search(r"\d{17}[\dX]", html)  # no resident ID numbers
    assert not any(name in html for name in names)
