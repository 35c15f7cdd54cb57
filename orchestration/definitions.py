"""The Dagster definitions of the platform: one asset graph, built from warehouse.yml."""

import dagster as dg

from orchestration.assets.feeds import public_security_persons
from orchestration.assets.transform import build_dbt_assets
from orchestration.resources import WarehouseResource, dbt_resource, export_dbt_environment
from warehouse.settings import load_settings

settings = load_settings()
export_dbt_environment(settings)

defs = dg.Definitions(
    assets=[public_security_persons, build_dbt_assets(settings)],
    jobs=[dg.define_asset_job("everything_job", selection=dg.AssetSelection.all())],
    resources={"warehouse": WarehouseResource(), "dbt": dbt_resource(settings)},
)
