"""The elder database: the four feeds linked into golden elders with provenance (linkage.*)."""

import dagster as dg

from ingestion.landing import month_end
from orchestration.assets.feeds import FEED_TABLES, REGIONS_KEY
from orchestration.resources import WarehouseResource

ELDERS_KEY = dg.AssetKey(["linkage", "elders"])
XREF_KEY = dg.AssetKey(["linkage", "elder_xref"])


def reference_date(warehouse: WarehouseResource) -> str:
    """The last day of the latest loaded delivery month: the date elders are counted at (the
    marts count at the same month, dim_months)."""
    with warehouse.connect() as conn:
        month = conn.execute("select max(delivery_month) from raw.load_log").fetchone()[0]
    if not month:
        raise dg.Failure("no deliveries are loaded: nothing to link")
    return month_end(month)


class LinkageConfig(dg.Config):
    """full: relink every row, not only those of load batches that are new since the last run
    (a run relinks everything by itself when linkage settings or steward decisions changed)."""

    full: bool = False


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            ELDERS_KEY,
            group_name="linkage",
            kinds={"postgres"},
            deps=[REGIONS_KEY, *(dg.AssetKey(["raw", t]) for t in FEED_TABLES.values())],
            description="One golden record per person, with eligibility and provenance.",
        ),
        dg.AssetSpec(
            XREF_KEY,
            group_name="linkage",
            kinds={"postgres"},
            deps=[ELDERS_KEY],
            description="Every landed person row and the elder it belongs to, and why.",
        ),
    ]
)
def elder_database(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource, config: LinkageConfig
):
    """Link, deduplicate and filter the feeds (standard 5.2.1, 5.2.2)."""
    from quality.linkage.run import link

    mode = "full" if config.full else "auto"
    summary = link(warehouse.settings(), reference_date(warehouse), mode)
    context.log.info(
        f"{summary.mode} linkage ({summary.mode_reason}): {summary.new_records:,} new rows; "
        f"{summary.records:,} person rows → {summary.elders:,} people, "
        f"{summary.eligible_elders:,} in the elder database; "
        f"{summary.review_queue} pairs for review"
    )
    metadata = {
        "mode": summary.mode,
        "person_rows": summary.records,
        "new_person_rows": summary.new_records,
        "people": summary.elders,
        "eligible_elders": summary.eligible_elders,
        "candidate_pairs": summary.candidate_pairs,
        "review_queue": summary.review_queue,
        "links_refused_by_rules": summary.links_refused_by_rules,
        "classifier": summary.classifier.get("method", ""),
        "steward_labels": dg.MetadataValue.json(summary.classifier.get("labels", {})),
    }
    yield dg.MaterializeResult(asset_key=ELDERS_KEY, metadata=metadata)
    yield dg.MaterializeResult(asset_key=XREF_KEY, metadata={"person_rows": summary.records})
