"""The golden-record and mart suites: each passes the built store and catches a defect of its
kind planted in it. Great Expectations reads committed rows only, so each defect is committed,
validated and undone."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from quality.validation.run import validate_table_suite
from quality.validation.warehouse_checks import TABLE_SUITES
from warehouse.connection import connect
from warehouse.settings import CheckOverride


def outcomes(settings, suite: str) -> dict[str, tuple[bool, str]]:
    with connect(settings) as conn:
        found = validate_table_suite(conn, settings, TABLE_SUITES[suite], str(uuid.uuid4()))
        conn.commit()
    return {o.check: (o.success, o.severity) for o in found}


@contextmanager
def planted(settings, defect: str, undo: str) -> Iterator[None]:
    with connect(settings) as conn:
        conn.execute(defect)
        conn.commit()
    try:
        yield
    finally:
        with connect(settings) as conn:
            conn.execute(undo)
            conn.commit()


def test_every_suite_passes_the_built_store(settings, built):
    for suite in TABLE_SUITES:
        failed = {
            name: severity
            for name, (success, severity) in outcomes(settings, suite).items()
            if not success and severity == "error"
        }
        assert failed == {}, suite


ONE_ELDER_TWO_IDS = (
    "update linkage.elder_xref set elder_id = {a} where record_id = {record}",
    "update linkage.elder_xref set elder_id = {b} where record_id = {record}",
)


def test_an_elder_with_two_valid_id_numbers_fails_the_golden_suite(settings, built):
    with connect(settings) as conn:
        (a, b, record) = conn.execute(
            "select e1.elder_id, e2.elder_id, x.record_id from linkage.elders e1"
            " join linkage.elders e2 on e2.id_number <> e1.id_number"
            " join linkage.elder_xref x on x.elder_id = e2.elder_id and x.role = 'elder'"
            " join raw.public_security_persons r"
            "   on r.load_batch = x.load_batch and r.source_row = x.source_row"
            " where r.is_id_number_valid and e1.id_number is not null limit 1"
        ).fetchone()
    defect, undo = (sql.format(a=a, b=b, record=record) for sql in ONE_ELDER_TWO_IDS)
    with planted(settings, defect, undo):
        assert outcomes(settings, "elder_database")["one_valid_id_number"] == (False, "error")


def test_a_dead_elder_counted_fails_the_golden_suite(settings, built):
    with connect(settings) as conn:
        elder = conn.execute(
            "select elder_id from linkage.elders where is_eligible and death_date is null limit 1"
        ).fetchone()[0]
    with planted(
        settings,
        "update linkage.elders set death_date = (select reference_date - 3 from linkage.reference)"
        f" where elder_id = {elder}",
        f"update linkage.elders set death_date = null where elder_id = {elder}",
    ):
        result = outcomes(settings, "elder_database")["eligible_are_60_and_alive"]
    assert result == (False, "error")


def test_a_row_missing_from_the_cross_reference_fails(settings, built):
    with connect(settings) as conn:
        row = conn.execute("select * from linkage.elder_xref limit 1").fetchone()
        columns = [c.name for c in conn.execute("select * from linkage.elder_xref").description]
    values = ", ".join("null" if v is None else f"'{v}'" for v in row)
    with planted(
        settings,
        f"delete from linkage.elder_xref where record_id = {row[columns.index('record_id')]}",
        f"insert into linkage.elder_xref ({', '.join(columns)}) values ({values})",
    ):
        result = outcomes(settings, "elder_source_rows")["every_row_accounted_for"]
    assert result == (False, "error")


@pytest.mark.parametrize(
    ("suite", "check", "defect", "undo"),
    [
        (
            "mart_subsidies", "rosters_reconcile",
            "update marts.rpt_subsidy_reconciliation set difference_fen = 1"
            " where source_file = (select min(source_file) from marts.rpt_subsidy_reconciliation)",
            "update marts.rpt_subsidy_reconciliation set difference_fen = 0",
        ),
        (
            "mart_elder_months", "count_near_previous_month",
            "create table marts.latest_removed as select * from marts.fct_elder_months"
            " where month = (select max(month) from marts.fct_elder_months) and elder_id % 4 = 0;"
            " delete from marts.fct_elder_months f using marts.latest_removed r"
            " where f.month = r.month and f.elder_id = r.elder_id",
            "insert into marts.fct_elder_months select * from marts.latest_removed;"
            " drop table marts.latest_removed",
        ),
    ],
)  # fmt: skip
def test_a_mart_defect_fails_its_suite(settings, built, suite, check, defect, undo):
    with planted(settings, defect, undo):
        assert outcomes(settings, suite)[check] == (False, "error")
    assert outcomes(settings, suite)[check] == (True, "error")


def test_a_two_district_payment_without_a_flag_fails(settings, built):
    with planted(
        settings,
        "create table marts.anomalies_removed as select * from marts.rpt_subsidy_anomalies"
        " where anomaly_kind = 'paid_in_two_districts';"
        " delete from marts.rpt_subsidy_anomalies where anomaly_kind = 'paid_in_two_districts'",
        "insert into marts.rpt_subsidy_anomalies select * from marts.anomalies_removed;"
        " drop table marts.anomalies_removed",
    ):
        assert outcomes(settings, "mart_two_districts")["flagged"] == (False, "error")


def test_implausible_year_on_year_is_a_warning_unless_warehouse_yml_says_error(settings, built):
    defect = (
        "update marts.rpt_indicators_yoy_mom set yoy_change = yoy_change + 10"
        " where yoy_change is not null and not is_rate"
    )
    undo = defect.replace("+ 10", "- 10")
    with planted(settings, defect, undo):
        assert outcomes(settings, "mart_yoy")["plausible"] == (False, "warning")
        strict = {"mart_yoy.plausible": CheckOverride(severity="error", threshold=0.5)}
        stricter = settings.model_copy(
            update={"quality": settings.quality.model_copy(update={"checks": strict})}
        )
        assert outcomes(stricter, "mart_yoy")["plausible"] == (False, "error")


def test_a_fact_naming_an_unknown_district_fails(settings, built):
    with connect(settings) as conn:
        month, elder, district = conn.execute(
            "select month, elder_id, district_code from marts.fct_elder_months limit 1"
        ).fetchone()
    where = f"where month = '{month}' and elder_id = {elder}"
    with planted(
        settings,
        f"update marts.fct_elder_months set district_code = '129999' {where}",
        f"update marts.fct_elder_months set district_code = '{district}' {where}",
    ):
        assert outcomes(settings, "mart_parents")["parents_exist"] == (False, "error")
