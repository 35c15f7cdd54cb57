"""The YAML in dashboards/assets against the dbt project: tables, columns, exposures."""

import json

import pytest

from dashboards.bundle import ROLE_PLACEHOLDER, load_assets
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
            for item in dashboard["position"].values()
            if isinstance(item, dict) and item.get("type") == "CHART"
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
        placed = {
            item["meta"]["uuid"]
            for item in dashboard["position"].values()
            if isinstance(item, dict) and item.get("type") == "CHART"
        }
        assert placed <= charts
