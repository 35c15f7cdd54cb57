"""A month built incrementally equals the same month built from scratch: the conftest builds the
last month with `dbt build` on top of a full build of the months before, keeps the incremental
models aside, then rebuilds them with --full-refresh."""

from __future__ import annotations

import re

import pytest

from orchestration.assets.transform import (
    dbt_project,
    outdated_incremental_models,
    rebuild_outdated_incremental_models,
)
from orchestration.environment import dbt_environment
from orchestration.resources import dbt_resource
from tests.analytics.conftest import INCREMENTAL_MODELS
from warehouse.connection import connect
from warehouse.settings import DEFAULT_CONFIG

MODELS = DEFAULT_CONFIG.parent / "dbt_project" / "models"


def test_every_incremental_model_is_compared():
    incremental = {
        path.stem
        for path in MODELS.rglob("*.sql")
        if re.search(r"materialized\s*=\s*'incremental'", path.read_text(encoding="utf-8"))
    }
    assert incremental == set(INCREMENTAL_MODELS)


@pytest.mark.parametrize("model", INCREMENTAL_MODELS)
def test_an_incremental_month_equals_a_full_refresh(settings, built, model):
    with connect(settings, "admin") as conn:
        total = conn.execute(f"select count(*) from marts.{model}").fetchone()[0]
        only_incremental, only_full = (
            conn.execute(
                f"select count(*) from (select * from {a} except all select * from {b}) as d"
            ).fetchone()[0]
            for a, b in (
                (f"incremental_check.{model}", f"marts.{model}"),
                (f"marts.{model}", f"incremental_check.{model}"),
            )
        )
    assert (only_incremental, only_full) == (0, 0), f"{model}: {total} rows after a full refresh"


def test_an_incremental_mart_lacking_a_documented_column_is_rebuilt_whole(
    built, settings, monkeypatch
):
    """After an upgrade adds a column to an incremental mart, the dbt asset rebuilds it whole
    first (a plain build would stop it as out of sync); every documented column is built."""
    project = dbt_project(settings)
    with connect(settings) as conn:
        assert outdated_incremental_models(conn, project.manifest_path) == []
        before = conn.execute("select count(*) from marts.rpt_elder_statistics").fetchone()[0]
        for table in ("rpt_elder_statistics", "rpt_subsidy_summary"):
            conn.execute(f"alter table marts.{table} drop column street_name")
        conn.commit()
    for name, value in dbt_environment(settings).items():
        monkeypatch.setenv(name, value)
    rebuilt = rebuild_outdated_incremental_models(settings, dbt_resource(settings), project)
    assert rebuilt == ["rpt_elder_statistics", "rpt_subsidy_summary"]
    with connect(settings) as conn:
        assert outdated_incremental_models(conn, project.manifest_path) == []
        after = conn.execute("select count(*) from marts.rpt_elder_statistics").fetchone()[0]
    assert after == before
