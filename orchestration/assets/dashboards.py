"""Superset's dashboards as the last asset of the graph, downstream of the marts they read."""

import dagster as dg

from dashboards.bundle import load_assets
from orchestration.resources import WarehouseResource

SUPERSET_KEY = dg.AssetKey(["dashboards", "superset"])


def _marts_read() -> list[dg.AssetKey]:
    """The marts the published datasets read: asset keys are [schema, table]."""
    datasets = [c for path, c in load_assets().items() if path.startswith("datasets/")]
    return sorted({dg.AssetKey([c["schema"], c["table_name"]]) for c in datasets})


@dg.asset(key=SUPERSET_KEY, deps=_marts_read(), group_name="dashboards", kinds={"superset"})
def superset_dashboards(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    """Superset's dashboards, published from dashboards/assets (Superset is started if down)."""
    from dashboards import service
    from dashboards.publish import publish

    settings = warehouse.settings()
    what = service.start(settings, say=context.log.info)
    context.log.info(f"Superset {what} at {service.base_url(settings)}")
    report = publish(settings)
    context.log.info(report.summary())
    return dg.MaterializeResult(
        metadata={
            "url": dg.MetadataValue.url(service.base_url(settings)),
            "imported": report.imported,
            "deleted": len(report.deleted),
            "changed": report.changed,
        }
    )
