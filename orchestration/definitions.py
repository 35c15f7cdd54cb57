"""The Dagster definitions of the platform: one asset graph, built from warehouse.yml."""

import dagster as dg

from orchestration.assets.feeds import feed_assets, reference_regions
from orchestration.assets.transform import build_dbt_assets
from orchestration.resources import WarehouseResource, dbt_resource, export_dbt_environment
from warehouse.settings import load_settings

settings = load_settings()
export_dbt_environment(settings)

defs = dg.Definitions(
    assets=[reference_regions, *feed_assets, build_dbt_assets(settings)],
    jobs=[dg.define_asset_job("everything_job", selection=dg.AssetSelection.all())],
    resources={"warehouse": WarehouseResource(), "dbt": dbt_resource(settings)},
)
