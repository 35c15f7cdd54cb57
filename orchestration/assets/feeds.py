"""Feed assets: the reference regions and each agency's deliveries, landed in raw with lineage."""

import dagster as dg

from ingestion.feeds import FEEDS, load_regions, load_source
from ingestion.loader import LoadResult
from orchestration.partitions import delivery_months
from orchestration.resources import WarehouseResource

FEED_TABLES = {source: module.TABLE.split(".")[1] for source, module in FEEDS.items()}
REGIONS_KEY = dg.AssetKey(["raw", "reference_regions"])
FEED_LABELS = {
    "public_security": "公安人口信息 extracts",
    "civil_affairs": "民政补贴发放名册 subsidy rosters",
    "institutions": "养老机构在院老人名册 resident rosters",
    "gov_services": "政务服务平台 applications",
}


def _metadata(results: list[LoadResult]) -> dict:
    done = [r for r in results if r.status != "skipped"]
    return {
        "files_loaded": sum(r.status == "loaded" for r in results),
        "files_rejected": sum(r.status == "rejected" for r in results),
        "files_skipped": sum(r.status == "skipped" for r in results),
        "rows_delivered": sum(r.delivered for r in done),
        "rows_loaded": sum(r.loaded for r in done),
        "rows_quarantined": sum(r.quarantined for r in done),
    }


def _log(context: dg.AssetExecutionContext, result: LoadResult) -> None:
    if result.status == "rejected":
        context.log.warning(f"{result.source_file}: file quarantined: {result.message}")
    else:
        context.log.info(
            f"{result.source_file}: {result.status}, {result.loaded} rows loaded,"
            f" {result.quarantined} quarantined"
        )


@dg.asset(key=REGIONS_KEY, group_name="raw", kinds={"postgres"})
def reference_regions(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    """Administrative divisions (district, street, community, grid) from reference/regions.csv."""
    with warehouse.connect() as conn:
        result = load_regions(conn, warehouse.landing_path())
    if result is None:
        context.log.warning("no reference/regions.csv in the landing area")
        return dg.MaterializeResult(metadata={"files_loaded": 0})
    _log(context, result)
    return dg.MaterializeResult(metadata=_metadata([result]))


def _feed_asset(source: str) -> dg.AssetsDefinition:
    @dg.asset(
        name=FEED_TABLES[source],
        key_prefix="raw",
        group_name="raw",
        kinds={"postgres"},
        deps=[REGIONS_KEY],
        partitions_def=delivery_months,
        backfill_policy=dg.BackfillPolicy.single_run(),
        description=f"{FEED_LABELS[source]} as delivered, one row per delivered row, with lineage.",
    )
    def feed(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
        results: list[LoadResult] = []
        with warehouse.connect() as conn:
            for month in context.partition_keys:
                results += load_source(
                    conn, warehouse.settings(), source, warehouse.landing_path(), month,
                    progress=lambda result: _log(context, result),
                )  # fmt: skip
        return dg.MaterializeResult(metadata=_metadata(results))

    return feed


feed_assets = [_feed_asset(source) for source in FEEDS]
