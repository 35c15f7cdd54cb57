"""Run a suite with Great Expectations and keep the results: a raw feed's on one delivery
month, or a suite over the golden records or the marts (quality/validation/warehouse_checks.py).

Results and failing-row locators go to the `quality` schema, from which
quality/validation/report.py writes the stewards' report. (GX's own Data Docs load their
styles and scripts from CDNs: offline they render blank, and opening them would reach out.)
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace

import psycopg

from ingestion.feeds import FEEDS
from quality.validation.checks import SUITES, Check
from quality.validation.results import RESULTS_DDL
from quality.validation.warehouse_checks import TableSuite
from warehouse.connection import url
from warehouse.settings import Settings

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")  # no usage statistics leave the machine
LINEAGE = Check("lineage_unique", "(source_file, source_row) unique", "true")


@dataclass(frozen=True)
class Outcome:
    check: str
    severity: str
    success: bool
    message: str


def configured(settings: Settings, suite: str, checks: list[Check] | None = None) -> list[Check]:
    """The suite's checks (a feed's by default) with warehouse.yml's thresholds and severities."""
    changed = []
    for check in SUITES[suite]() if checks is None else checks:
        change = settings.quality.checks.get(f"{suite}.{check.name}")
        if change:
            check = replace(
                check,
                severity=change.severity or check.severity,
                threshold=check.threshold if change.threshold is None else change.threshold,
            )
        changed.append(check)
    return changed


def _flagged(rows: str, checks: list[Check]) -> str:
    """The rows with one boolean column per check, ok_<name>."""
    flags = ", ".join(f"coalesce(({c.passes}), false) as ok_{c.name}" for c in checks)
    return f"select source_file, source_row, {flags} from ({rows}) checked"


def _month_rows(source: str, month: str, checks: list[Check]) -> str:
    return _flagged(
        f"select * from {FEEDS[source].TABLE} where load_batch in (select load_batch"
        f" from raw.load_log where source = '{source}' and delivery_month = '{month}'"
        " and status = 'loaded')",
        checks,
    )


def _run_suite(settings: Settings, name: str, query: str, checks: list[Check], unique: bool):
    import great_expectations as gx
    import great_expectations.expectations as gxe

    context = gx.get_context(mode="ephemeral")
    datasource = context.data_sources.add_postgres(
        name="warehouse", connection_string=url(settings, "pipeline", driver="psycopg2")
    )
    batch = datasource.add_query_asset(name=name, query=query)
    suite = gx.ExpectationSuite(name=name)
    for check in checks:
        suite.add_expectation(gxe.ExpectColumnValuesToBeInSet(
            column=f"ok_{check.name}", value_set=[True], mostly=check.threshold))  # fmt: skip
    if unique:
        suite.add_expectation(gxe.ExpectCompoundColumnsToBeUnique(
            column_list=["source_file", "source_row"]))  # fmt: skip
    suite = context.suites.add(suite)
    definition = context.validation_definitions.add(gx.ValidationDefinition(
        name=name, data=batch.add_batch_definition_whole_table("month"), suite=suite))  # fmt: skip
    return definition.run(result_format={"result_format": "SUMMARY"}).results


def _check_of(result, checks: dict[str, Check]) -> Check:
    column = result.expectation_config.kwargs.get("column", "")
    return checks.get(column.removeprefix("ok_"), LINEAGE)


def validate(
    conn: psycopg.Connection, settings: Settings, source: str, month: str, run_id: str
) -> list[Outcome]:
    """Validate the rows one delivery month brought; store results and example locators.

    Great Expectations reads through its own connection: it sees committed rows only.
    """
    checks = configured(settings, source)
    query = _month_rows(source, month, checks)
    return _evaluate(conn, settings, (source, month, run_id), query, checks, unique=True)


def validate_table_suite(
    conn: psycopg.Connection, settings: Settings, suite: TableSuite, run_id: str
) -> list[Outcome]:
    """Validate the golden records or the marts with one of warehouse_checks' suites."""
    checks = configured(settings, suite.name, list(suite.checks))
    query = _flagged(suite.rows, checks)
    return _evaluate(conn, settings, (suite.name, None, run_id), query, checks, unique=False)


def _evaluate(conn, settings, run: tuple, query: str, checks: list[Check], unique: bool):
    suite, month, run_id = run
    for statement in RESULTS_DDL:
        conn.execute(statement)
    name = f"{suite}_{month}" if month else suite
    results = _run_suite(settings, name, query, checks, unique)
    by_name = {check.name: check for check in checks}
    outcomes = []
    for result in results:
        check = _check_of(result, by_name)
        total = int(result.result.get("element_count") or 0)
        failing = int(result.result.get("unexpected_count") or 0)
        share = failing / total if total else 0.0
        success = failing == 0 if check is LINEAGE else 1 - share >= check.threshold
        where = f"{suite} {month}" if month else suite
        text = (
            f"{where}: {check.name}: {share:.1%} of {total:,} rows fail "
            f"(at most {1 - check.threshold:.1%} may) — {check.description}"
        )
        outcomes.append(Outcome(check.name, check.severity, success, text))
        _store(conn, settings, (run_id, suite, month, check, success, 1 - share, total,
                                failing, text), query)  # fmt: skip
    return outcomes


def _store(conn, settings, values: tuple, query: str) -> None:
    run_id, source, month, check, success, observed, total, failing, text = values
    validation_id = conn.execute(
        "insert into quality.validation_results (run_id, suite, delivery_month, check_name,"
        " severity, success, threshold, observed, element_count, unexpected_count, message)"
        " values (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) returning validation_id",
        (run_id, source, month, check.name, check.severity, success, check.threshold,
         observed, total, failing, text),
    ).fetchone()[0]  # fmt: skip
    if failing and check is not LINEAGE:
        conn.execute(
            "insert into quality.validation_examples (validation_id, source_file, source_row)"
            f" select %s, source_file, source_row from ({query}) rows"
            f" where not ok_{check.name} order by source_file, source_row limit %s",
            (validation_id, settings.quality.examples),
        )
