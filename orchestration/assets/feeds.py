"""Feed assets: each agency's deliveries landed in raw with lineage."""

import dagster as dg

from ingestion.feeds import load_source
from orchestration.resources import WarehouseResource


@dg.asset(key=["raw", "public_security_persons"], group_name="raw", kinds={"postgres"})
def public_security_persons(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    """公安人口信息 extracts as delivered, one row per delivered row, with lineage."""
    with warehouse.connect() as conn:
        results = load_source(
            conn,
            warehouse.settings(),
            "public_security",
            warehouse.landing_path(),
            progress=lambda r: context.log.info(f"{r.source_file}: {r.status}, {r.loaded} rows"),
        )
    loaded = [r for r in results if r.status == "loaded"]
    return dg.MaterializeResult(
        metadata={
            "files_loaded": len(loaded),
            "files_skipped": len(results) - len(loaded),
            "rows_loaded": sum(r.loaded for r in loaded),
            "rows_quarantined": sum(r.quarantined for r in loaded),
        }
    )
