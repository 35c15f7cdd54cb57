"""Dagster resources: the store and dbt, both built from warehouse.yml."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import dagster as dg
import psycopg
from dagster_dbt import DbtCliResource

from warehouse.connection import connect, conninfo
from warehouse.settings import Settings, load_settings


class WarehouseResource(dg.ConfigurableResource):
    """The PostgreSQL store as the pipeline role, and the landing area to read."""

    config_path: str = ""
    landing: str = ""

    def settings(self) -> Settings:
        return load_settings(self.config_path or None)

    def landing_path(self) -> Path:
        return Path(self.landing) if self.landing else self.settings().landing_path

    def connect(self) -> psycopg.Connection:
        return connect(self.settings(), "pipeline")


def dbt_environment(settings: Settings) -> dict[str, str]:
    """Variables profiles.yml reads; the password is scrubbed from dbt's logs by its name."""
    info = conninfo(settings, "pipeline")
    return {
        "ELDERCARE_DBT_HOST": info["host"],
        "ELDERCARE_DBT_PORT": str(info["port"]),
        "ELDERCARE_DBT_USER": info["user"],
        "ELDERCARE_DBT_DATABASE": info["dbname"],
        "DBT_ENV_SECRET_ELDERCARE_PASSWORD": info["password"],
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }


def export_dbt_environment(settings: Settings) -> None:
    """Export the profile's variables, and put this environment's dbt first on PATH."""
    os.environ.update(dbt_environment(settings))
    tools = str(Path(sys.executable).parent)
    if os.environ.get("PATH", "").split(os.pathsep)[0] != tools:
        os.environ["PATH"] = os.pathsep.join([tools, os.environ.get("PATH", "")])


def dbt_resource(settings: Settings) -> DbtCliResource:
    return DbtCliResource(
        project_dir=str(settings.dbt_path),
        profiles_dir=str(settings.dbt_path),
    )
