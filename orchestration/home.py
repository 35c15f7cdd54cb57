"""Dagster's home in the state folder: run storage in the platform's PostgreSQL, no telemetry."""

from __future__ import annotations

import os
from pathlib import Path

from warehouse.connection import url
from warehouse.settings import Settings

STORAGE_URL_ENV = "ELDERCARE_DAGSTER_STORAGE_URL"

_URL = f"""  config:
    postgres_url:
      env: {STORAGE_URL_ENV}"""
DAGSTER_YAML = f"""\
# written by eldercare; the storage URL (with its password) comes from the environment
run_storage:
  module: dagster_postgres.run_storage
  class: PostgresRunStorage
{_URL}
event_log_storage:  # a pooled event log: see orchestration/storage.py
  module: orchestration.storage
  class: PooledEventLogStorage
{_URL}
schedule_storage:
  module: dagster_postgres.schedule_storage
  class: PostgresScheduleStorage
{_URL}
telemetry:
  enabled: false
"""


def prepare_dagster_home(settings: Settings) -> Path:
    """Write dagster.yaml and export DAGSTER_HOME and the storage URL for this process."""
    home = settings.state_path / "dagster_home"
    home.mkdir(parents=True, exist_ok=True)
    (home / "dagster.yaml").write_text(DAGSTER_YAML)
    os.environ["DAGSTER_HOME"] = str(home)
    os.environ[STORAGE_URL_ENV] = url(settings, "pipeline", "dagster", driver="psycopg2")
    return home
