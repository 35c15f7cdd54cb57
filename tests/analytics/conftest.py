"""One store for the analytics tests: generated feeds loaded, linked and built into the marts."""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import replace

import pytest

from ingestion.generator import DefectRates, generate
from orchestration.assets.transform import prepare_model_sources
from orchestration.environment import dbt_environment
from quality.linkage.run import link
from tests.quality.linkage_support import load, reset_raw

MONTHS = ("2024-10", "2025-11")
REFERENCE = "2025-11-30"
# default defects, with the two subsidy anomalies frequent enough to plant a few dozen
RATES = replace(DefectRates(), paid_in_two_districts=0.01, paid_after_death=0.5)


def dbt_build(settings) -> subprocess.CompletedProcess:
    env = os.environ | dbt_environment(settings)
    return subprocess.run(
        ["dbt", "build", "--full-refresh", "--vars", json.dumps({"reference_date": REFERENCE})],
        cwd=settings.dbt_path, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip


@pytest.fixture(scope="package")
def built(settings, tmp_path_factory):
    """900 elders over 14 months: generated, loaded, linked and built into the marts once."""
    folder = tmp_path_factory.mktemp("analytics")
    generate(folder / "landing", folder / "truth", elders=900, months=MONTHS, seed=11,
             defects=RATES)  # fmt: skip
    reset_raw(settings)
    load(settings, folder / "landing")
    link(settings, REFERENCE)
    prepare_model_sources(settings)
    result = dbt_build(settings)
    assert result.returncode == 0, result.stdout[-4000:]
    return folder / "truth"
