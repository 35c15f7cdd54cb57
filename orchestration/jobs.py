"""Jobs: the feeds of one delivery month, and everything downstream of them."""

import dagster as dg

from orchestration.assets.feeds import REGIONS_KEY, feed_assets

feeds_job = dg.define_asset_job(
    "feeds_job",
    selection=dg.AssetSelection.assets(*feed_assets),
    description="Land one delivery month of every agency's feed.",
)
regions_job = dg.define_asset_job(
    "regions_job",
    selection=dg.AssetSelection.assets(REGIONS_KEY),
    description="Load the reference regions.",
)
transform_job = dg.define_asset_job(
    "transform_job",
    selection=dg.AssetSelection.all()
    - dg.AssetSelection.assets(*feed_assets)
    - dg.AssetSelection.assets(REGIONS_KEY),
    description="Rebuild everything downstream of the feeds: linkage, quality and the marts.",
)
