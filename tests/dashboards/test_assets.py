"""The YAML in dashboards/assets against the dbt project: tables, columns, exposures."""

import json

import pytest

from dashboards.bundle import ROLE_PLACEHOLDER, load_assets
from ingestion.generator.regions import build_regions
from orchestration.assets.transform import parse_dbt_project
from orchestration.environment import export_dbt_environment

ASSETS = load_assets()


def of_kind(kind):
    return {path: config for path, config in ASSETS.items() if path.startswith(kind)}


@pytest.fixture(scope="module")
def manifest(settings):
    export_dbt_environment(settings)
    parse_dbt_project(settings)
    return json.loads((settings.dbt_path / "target" / "manifest.json").read_text())


def placed_charts(dashboard) -> list[dict]:
    """The chart items of a dashboard's layout (meta: uuid, chartId)."""
    return [
        item for item in dashboard["position"].values()
        if isinstance(item, dict) and item.get("type") == "CHART"
    ]  # fmt: skip


def models(manifest):
    return {
        (node["schema"], node["name"]): node
        for node in manifest["nodes"].values()
        if node["resource_type"] in ("model", "seed")
    }


@pytest.mark.parametrize("path", sorted(of_kind("datasets/")), ids=str)
def test_every_dataset_table_and_column_is_in_the_dbt_manifest(manifest, path):
    dataset = ASSETS[path]
    node = models(manifest).get((dataset["schema"], dataset["table_name"]))
    assert node is not None, f"{path}: no dbt model {dataset['schema']}.{dataset['table_name']}"
    physical = {c["column_name"] for c in dataset["columns"] if not c.get("expression")}
    undocumented = physical - set(node["columns"])
    assert not undocumented, f"{path}: columns not in the dbt model's YAML: {undocumented}"


def test_every_dashboard_is_a_dbt_exposure_naming_the_marts_it_reads(manifest):
    exposures = {e["name"]: e for e in manifest["exposures"].values()}
    datasets = {str(c["uuid"]): c for c in of_kind("datasets/").values()}
    charts = {str(c["uuid"]): c for c in of_kind("charts/").values()}
    for dashboard in of_kind("dashboards/").values():
        exposure = exposures.get(f"dashboard_{dashboard['slug']}")
        assert exposure is not None, f"no exposure dashboard_{dashboard['slug']}"
        assert exposure["label"] == dashboard["dashboard_title"]
        read = {
            f"model.eldercare.{datasets[str(charts[item['meta']['uuid']]['dataset_uuid'])]['table_name']}"
            for item in placed_charts(dashboard)
        }
        assert read <= set(exposure["depends_on"]["nodes"])


def test_no_secret_or_store_address_is_committed():
    for path, database in of_kind("databases/").items():
        assert database["sqlalchemy_uri"].startswith(ROLE_PLACEHOLDER), path
        assert "password" not in database, path
    for path, dataset in of_kind("datasets/").items():
        names = {c["column_name"] for c in dataset["columns"]}
        personal = {"elder_id", "elder_key", "birth_date", "id_number", "name", "phone"}
        assert not names & personal, path


def test_chart_uuids_are_unique_and_every_dashboard_chart_exists():
    uuids = [str(config["uuid"]) for config in ASSETS.values() if "uuid" in config]
    assert len(uuids) == len(set(uuids))
    charts = {str(c["uuid"]) for c in of_kind("charts/").values()}
    for dashboard in of_kind("dashboards/").values():
        placed = {item["meta"]["uuid"] for item in placed_charts(dashboard)}
        assert placed <= charts


def _adds_up_months(chart, dataset) -> list[str]:
    """The chart's metrics that add up the months they are given, on a dataset with a
    month_choice column: any but those averaging by COUNT(DISTINCT month)."""
    if "month_choice" not in {c["column_name"] for c in dataset["columns"]}:
        return []
    saved = {m["metric_name"]: m["expression"] for m in dataset["metrics"]}
    params = chart["params"]
    expressions = {}
    for metric in params.get("metrics") or [params.get("metric")]:
        if metric is None:  # a table of raw rows
            continue
        if isinstance(metric, str):
            expressions[metric] = saved[metric]
        else:  # an ad-hoc metric
            expressions[metric["label"]] = metric.get("sqlExpression") or metric["aggregate"]
    return [name for name, sql in expressions.items() if "DISTINCT month" not in sql]


def _groups_by_month(params) -> bool:
    grouped = [params.get("x_axis"), *params.get("groupby", []), *params.get("columns", [])]
    return "month" in grouped or "month_choice" in grouped


def test_a_metric_for_one_month_is_only_charted_under_a_required_single_month_filter():
    """老年人数 and the indicators add up the months they are given (a sum is what lets the
    database answer the dashboards at Tianjin scale): every chart showing one either groups
    by month or sits only on dashboards whose 月份 filter is required, single-select, has a
    default and reaches the chart, so it always counts exactly one month."""
    datasets = {str(c["uuid"]): c for c in of_kind("datasets/").values()}
    placed: dict[str, list[tuple[dict, int]]] = {}
    for dashboard in of_kind("dashboards/").values():
        for item in placed_charts(dashboard):
            meta = item["meta"]
            placed.setdefault(meta["uuid"], []).append((dashboard, meta["chartId"]))
    checked = 0
    for path, chart in of_kind("charts/").items():
        summed = _adds_up_months(chart, datasets[str(chart["dataset_uuid"])])
        if not summed or _groups_by_month(chart["params"]):
            continue
        assert placed.get(str(chart["uuid"])), f"{path}: {summed} on no dashboard"
        for dashboard, chart_id in placed[str(chart["uuid"])]:
            months = [
                f for f in dashboard["metadata"]["native_filter_configuration"]
                if any(t.get("column", {}).get("name") == "month_choice" for t in f["targets"])
            ]  # fmt: skip
            assert len(months) == 1, f"{path} on {dashboard['slug']}: no 月份 filter"
            [month] = months
            controls = month["controlValues"]
            assert controls["enableEmptyFilter"] and not controls["multiSelect"], path
            assert month["defaultDataMask"]["filterState"]["value"], path
            assert chart_id not in month["scope"]["excluded"], path
            assert month["scope"]["rootPath"] == ["ROOT_ID"], path
            checked += 1
    assert checked >= 14  # the region, elder and indicator charts


FILTER_OPTIONS_LISTED = 1000  # a select filter lists this many values unless it searches


def test_region_lists_and_filters_reach_every_region_of_the_city():
    """At city scale (the generator's geography: 16 districts, 239 streets, 3,463 communities)
    a table listing streets or communities has room for all of them, and a filter over more
    values than Superset lists searches the database as one types."""
    regions = build_regions()
    counts = {
        "district_name": len(regions.district_code),
        "street_name": len(regions.street_code),
        "community_name": len(regions.comm_code),
    }
    tables = 0
    for path, chart in of_kind("charts/").items():
        params = chart["params"]
        listed = [counts[c] for c in params.get("groupby", []) if c in counts]
        if params["viz_type"] == "table" and listed:
            assert params["row_limit"] >= max(listed), path
            tables += 1
    filters = 0
    for path, dashboard in of_kind("dashboards/").items():
        for native in dashboard["metadata"]["native_filter_configuration"]:
            columns = {t.get("column", {}).get("name") for t in native["targets"]}
            if any(counts.get(c, 0) > FILTER_OPTIONS_LISTED for c in columns):
                assert native["controlValues"]["searchAllOptions"], (path, native["name"])
                filters += 1
    assert tables >= 1 and filters >= 1
