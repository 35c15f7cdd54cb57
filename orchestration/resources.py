"""Dagster resources: the store and dbt, both built from warehouse.yml."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import psycopg
from dagster_dbt import DbtCliResource

from warehouse.connection import connect
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


def dbt_resource(settings: Settings) -> DbtCliResource:
    return DbtCliResource(
        project_dir=str(settings.dbt_path),
        profiles_dir=str(settings.dbt_path),
    )
