"""Asset checks: each raw feed's Great Expectations suite on the delivery months just loaded,
the golden-record suites on the elder database, and the mart suites on their marts.

The checks block: an error-level failure stops everything downstream, with a message that
says what failed, by how much and where the failing rows are kept; a warning continues.
"""

import uuid

import dagster as dg
from dagster._core.storage.tags import (
    ASSET_PARTITION_RANGE_END_TAG,
    ASSET_PARTITION_RANGE_START_TAG,
    PARTITION_NAME_TAG,
)

from ingestion.feeds import FEEDS
from orchestration.partitions import delivery_months
from orchestration.resources import WarehouseResource
from quality.validation.warehouse_checks import GOLDEN_SUITES, MART_SUITES, TableSuite

# The asset each golden-record or mart suite checks.
SUITE_ASSETS = {
    "elder_database": ["linkage", "elders"],
    "elder_source_rows": ["linkage", "elder_xref"],
    "mart_elder_months": ["marts", "fct_elder_months"],
    "mart_parents": ["marts", "fct_service_orders"],
    "mart_subsidies": ["marts", "rpt_subsidy_reconciliation"],
    "mart_two_districts": ["marts", "rpt_subsidy_anomalies"],
    "mart_yoy": ["marts", "rpt_indicators_yoy_mom"],
}


def run_months(run: dg.DagsterRun) -> list[str]:
    """The delivery months a run loaded: its partition, or its partition range."""
    tags = run.tags
    if PARTITION_NAME_TAG in tags:
        return [tags[PARTITION_NAME_TAG]]
    first, last = tags.get(ASSET_PARTITION_RANGE_START_TAG), tags.get(ASSET_PARTITION_RANGE_END_TAG)
    if not (first and last):
        return []
    return [m for m in delivery_months.get_partition_keys() if first <= m <= last]


def _feed_check(source: str) -> dg.AssetChecksDefinition:
    table = FEEDS[source].TABLE.split(".")[1]

    @dg.asset_check(
        asset=dg.AssetKey(["raw", table]),
        name="delivered_rows_pass_validation",
        blocking=True,
        description=f"The {source} suite (quality/validation/checks.py) on each month loaded.",
    )
    def check(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource):
        from quality.validation.report import write_report
        from quality.validation.run import validate

        run_id, outcomes = str(uuid.uuid4()), []
        with warehouse.connect() as conn:
            for month in run_months(context.run):
                outcomes += validate(conn, warehouse.settings(), source, month, run_id)
            conn.commit()
            report = write_report(conn, warehouse.settings())
        return _result(outcomes, run_id, report)

    return check


def _result(outcomes, run_id: str, report) -> dg.AssetCheckResult:
    errors = [o.message for o in outcomes if not o.success and o.severity == "error"]
    warnings = [o.message for o in outcomes if not o.success and o.severity == "warning"]
    failures = errors + warnings
    where = f"quality.validation_results where run_id = '{run_id}'"
    return dg.AssetCheckResult(
        passed=not failures,
        severity=dg.AssetCheckSeverity.ERROR if errors else dg.AssetCheckSeverity.WARN,
        description="; ".join(failures) + (f" (see {where})" if failures else ""),
        metadata={
            "checks_run": len(outcomes),
            "errors": len(errors),
            "warnings": len(warnings),
            "results": where,
            "report": dg.MetadataValue.path(str(report)),
        },
    )


def _table_check(suite: TableSuite) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=dg.AssetKey(SUITE_ASSETS[suite.name]),
        name=f"{suite.name}_passes_validation",
        blocking=True,
        description=f"The {suite.name} suite (quality/validation/warehouse_checks.py): "
        f"{suite.description}.",
    )
    def check(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource):
        from quality.validation.report import write_report
        from quality.validation.run import validate_table_suite

        run_id = str(uuid.uuid4())
        with warehouse.connect() as conn:
            outcomes = validate_table_suite(conn, warehouse.settings(), suite, run_id)
            conn.commit()
            report = write_report(conn, warehouse.settings())
        return _result(outcomes, run_id, report)

    return check


feed_checks = [_feed_check(source) for source in FEEDS]
warehouse_checks = [_table_check(suite) for suite in (*GOLDEN_SUITES, *MART_SUITES)]
