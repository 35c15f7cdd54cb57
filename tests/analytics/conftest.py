"""One store for the analytics tests: generated feeds loaded, linked and built into the marts.

The store is built the way months arrive: every month but the last is loaded, linked and built
with --full-refresh (then a few rows of each incremental model's latest month are dropped, as
late news would have changed them); then the last month is loaded, relinked and built
incrementally (with dbt's tests), and the incremental models are copied aside (schema
`incremental_check`); then the incremental models are rebuilt with --full-refresh.
test_incremental_build compares the two; the other tests read the marts."""

from __future__ import annotations

import os
import subprocess
from dataclasses import replace

import pytest

from ingestion.feeds import FEEDS
from ingestion.generator import DefectRates, generate
from ingestion.landing import delivery_months, month_end
from orchestration.assets.transform import prepare_model_sources
from orchestration.environment import dbt_environment
from quality.linkage.run import link
from tests.quality.linkage_support import load, reset_raw
from warehouse.connection import connect

MONTHS = ("2024-10", "2025-11")
REFERENCE = "2025-11-30"
# default defects, with the two subsidy anomalies frequent enough to plant a few dozen
RATES = replace(DefectRates(), paid_in_two_districts=0.01, paid_after_death=0.5)


# the models dbt builds incrementally (materialized='incremental'), as schema.model, and their
# month column (None: incremental on the rows the linkage linked since the last build);
# test_incremental_build checks that this list is complete
INCREMENTAL_MODELS = {
    "marts.agg_elder_months_by_age": "month",
    "marts.fct_device_events_daily": "event_date",
    "marts.fct_elder_months": "month",
    "marts.fct_subsidy_entitlements": "month",
    "marts.fct_subsidy_payments": "payment_month",
    "marts.rpt_elder_statistics": "month",
    "marts.rpt_region_composition": "month",
    "marts.rpt_subsidy_anomalies": "payment_month",
    "marts.rpt_subsidy_summary": "payment_month",
    "intermediate.int_elder_address_evidence": None,
    "intermediate.int_elder_care_evidence": None,
}


def model_name(table: str) -> str:
    return table.split(".")[1]


def dbt(settings, *arguments: str) -> None:
    env = os.environ | dbt_environment(settings)
    result = subprocess.run(["dbt", *arguments], cwd=settings.dbt_path, env=env,
                            capture_output=True, text=True, check=False)  # fmt: skip
    assert result.returncode == 0, result.stdout[-4000:]


def dbt_test(settings, *arguments: str) -> subprocess.CompletedProcess:
    """`dbt test` with these arguments, its result returned whether it passed or not."""
    env = os.environ | dbt_environment(settings)
    return subprocess.run(["dbt", "test", *arguments], cwd=settings.dbt_path, env=env,
                          capture_output=True, text=True, check=False)  # fmt: skip


def age_the_latest_month(settings) -> None:
    """Drop a few rows of each incremental model's latest month, as if it had been built before
    late news arrived: the next incremental run must rebuild that month whole."""
    with connect(settings, "admin") as conn:
        for table, month in INCREMENTAL_MODELS.items():
            if month is None:
                continue
            conn.execute(
                f"delete from {table} where ctid in (select ctid from {table}"
                f" where {month} = (select max({month}) from {table}) limit 3)"
            )
        conn.commit()


def keep_incremental_models(settings) -> None:
    """Copy the incremental models as an incremental run left them into `incremental_check`."""
    with connect(settings, "admin") as conn:
        conn.execute("drop schema if exists incremental_check cascade")
        conn.execute("create schema incremental_check")
        for table in INCREMENTAL_MODELS:
            conn.execute(
                f"create table incremental_check.{model_name(table)} as select * from {table}"
            )
        conn.commit()


@pytest.fixture(scope="package")
def built(settings, tmp_path_factory):
    """900 elders over 14 months: generated, loaded, linked and built into the marts, the last
    month incrementally (kept aside), then the incremental models again with --full-refresh."""
    folder = tmp_path_factory.mktemp("analytics")
    landing = folder / "landing"
    generate(landing, folder / "truth", elders=900, months=MONTHS, seed=11,
             defects=RATES)  # fmt: skip
    reset_raw(settings)
    months = sorted({m for source in FEEDS for m in delivery_months(landing, source)})
    for month in months[:-1]:
        load(settings, landing, month)
    link(settings, month_end(months[-2]))
    prepare_model_sources(settings)
    dbt(settings, "build", "--full-refresh")
    age_the_latest_month(settings)
    load(settings, landing, months[-1])
    link(settings, REFERENCE)
    dbt(settings, "build")
    keep_incremental_models(settings)
    # the incremental models from scratch (what they read is already built from all months)
    models = " ".join(model_name(table) for table in INCREMENTAL_MODELS)
    dbt(settings, "run", "--full-refresh", "--select", models)
    return folder / "truth"
