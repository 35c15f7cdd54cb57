"""The dashboards' sample: generated feeds loaded, validated and linked, a short operational
history simulated through the API's services, and the marts built, so that every chart of
every dashboard has rows to draw (the seven-person fixture leaves the service, subsidy and
forecast marts empty)."""

from __future__ import annotations

import os
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from ingestion.feeds import FEEDS
from ingestion.generator import generate
from operational_api import simulate
from orchestration.assets.transform import prepare_model_sources
from orchestration.environment import dbt_environment
from quality.linkage.run import link
from quality.validation.run import validate
from tests.quality.linkage_support import load, reset_raw
from warehouse.connection import connect
from warehouse.settings import Settings

ELDERS = 300
MONTHS = ("2024-10", "2025-11")
REFERENCE = "2025-11-30"
VALIDATED = ("2025-11",)  # one delivery month: enough for every check chart, and quick
SEED = 9


def generate_feeds(folder: Path) -> Path:
    """The landing folder of the sample (its truth beside it); returns the landing."""
    generate(folder / "landing", folder / "truth", elders=ELDERS, months=MONTHS, seed=SEED)
    return folder / "landing"


def build(settings: Settings, landing: Path) -> None:
    """Load, validate, link, simulate orders for the same months, and build the marts."""
    reset_raw(settings)
    load(settings, landing)
    with connect(settings) as conn:
        for source in FEEDS:
            for month in VALIDATED:
                validate(conn, settings, source, month, run_id="dashboards-sample")
        conn.commit()
    link(settings, REFERENCE)
    prepare_model_sources(settings)  # migrates ops, which the simulation writes
    until = datetime.fromisoformat(REFERENCE).replace(hour=18, tzinfo=UTC)
    simulate.run(settings, elders=ELDERS, months=14, orders_per_elder_year=1.0, until=until,
                 seed=SEED, force=True, report=lambda _line: None)  # fmt: skip
    result = subprocess.run(
        ["dbt", "build", "--full-refresh"],
        cwd=settings.dbt_path, env=os.environ | dbt_environment(settings),
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if result.returncode != 0:
        raise RuntimeError(result.stdout[-4000:])
