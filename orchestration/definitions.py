"""The Dagster definitions of the platform: one asset graph, built from warehouse.yml."""

import dagster as dg

from orchestration.assets.dashboards import superset_dashboards
from orchestration.assets.feeds import feed_assets, reference_regions
from orchestration.assets.linkage import elder_database
from orchestration.assets.transform import build_dbt_assets
from orchestration.checks import feed_checks, warehouse_checks
from orchestration.environment import export_dbt_environment
from orchestration.jobs import feeds_job, regions_job, transform_job
from orchestration.resources import WarehouseResource, dbt_resource
from orchestration.schedules import nightly_schedule
from orchestration.sensors import feeds_landed_sensor, landing_sensor
from warehouse.settings import load_settings

settings = load_settings()
export_dbt_environment(settings)

defs = dg.Definitions(
    assets=[
        reference_regions,
        *feed_assets,
        elder_database,
        build_dbt_assets(settings),
        superset_dashboards,
    ],
    asset_checks=[*feed_checks, *warehouse_checks],
    jobs=[feeds_job, regions_job, transform_job],
    schedules=[nightly_schedule],
    sensors=[landing_sensor, feeds_landed_sensor],
    resources={"warehouse": WarehouseResource(), "dbt": dbt_resource(settings)},
)
