"""dbt models as assets: staging, intermediate and marts, with dbt tests as asset checks."""

import json
import re
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import dagster as dg
import psycopg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets

from ingestion.feeds import FEEDS
from ingestion.loader import ensure_tables
from operational_api.migrate import upgrade as upgrade_ops_schema
from orchestration.resources import WarehouseResource
from quality.validation.results import RESULTS_DDL
from warehouse.connection import connect
from warehouse.settings import Settings


class WarehouseTranslator(DagsterDbtTranslator):
    """Asset keys match tables (["marts", "dim_elders"]); groups are the layers."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        return dg.AssetKey([dbt_resource_props["schema"], dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        return dbt_resource_props["schema"]


def dbt_project(settings: Settings) -> DbtProject:
    """The dbt project, parsed first if it has no manifest yet."""
    project = DbtProject(project_dir=settings.dbt_path, profiles_dir=settings.dbt_path)
    if not project.manifest_path.exists():
        project.preparer.prepare(project)
    return project


def _manifest_is_stale(project: DbtProject) -> bool:
    if not project.manifest_path.exists():
        return True
    built = project.manifest_path.stat().st_mtime
    sources = [project.project_dir / name for name in ("models", "macros", "seeds", "tests")]
    files = [path for folder in sources if folder.exists() for path in folder.rglob("*")]
    files += [project.project_dir / "dbt_project.yml", project.project_dir / "profiles.yml"]
    return any(path.stat().st_mtime > built for path in files if path.is_file())


def parse_dbt_project(settings: Settings) -> bool:
    """Parse the dbt project if any of its files changed since the manifest; True if parsed."""
    project = DbtProject(project_dir=settings.dbt_path, profiles_dir=settings.dbt_path)
    if not _manifest_is_stale(project):
        return False
    project.preparer.prepare(project)
    return True


def prepare_model_sources(settings: Settings) -> None:
    """Create the tables dbt reads that may not exist yet on a young store: the operational
    API's (its migrations), the validation results and the raw tables (idempotent)."""
    upgrade_ops_schema(settings)
    with connect(settings) as conn:
        for module in FEEDS.values():
            ensure_tables(conn, module)
        for statement in RESULTS_DDL:
            conn.execute(statement)
        conn.commit()


def outdated_incremental_models(conn: psycopg.Connection, manifest_path: Path) -> list[str]:
    """Incremental models whose table lacks a column their yml now documents or an index their
    config now declares (an upgrade added it; dbt builds indexes only with the table): a plain
    build would stop them as out of sync or leave the index out, so they are rebuilt whole."""
    nodes = json.loads(manifest_path.read_text(encoding="utf-8"))["nodes"].values()
    incremental = [
        node for node in nodes
        if node["resource_type"] == "model" and node["config"]["materialized"] == "incremental"
    ]  # fmt: skip
    outdated = []
    for node in incremental:
        built = {
            name
            for (name,) in conn.execute(
                "select column_name from information_schema.columns"
                " where table_schema = %s and table_name = %s",
                (node["schema"], node["alias"]),
            )
        }
        declared = {
            (tuple(index["columns"]), bool(index.get("unique")))
            for index in node["config"].get("indexes") or ()
        }
        if built and (set(node["columns"]) - built or declared - _indexes(conn, node)):
            outdated.append(node["name"])
    return sorted(outdated)


def _indexes(conn: psycopg.Connection, node: dict) -> set[tuple[tuple[str, ...], bool]]:
    """The indexes on a model's table, as (columns in order, unique)."""
    rows = conn.execute(
        """select array_agg(a.attname::text order by k.position), i.indisunique
        from pg_index i
        cross join lateral unnest(i.indkey::int2[]) with ordinality as k (attnum, position)
        join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
        where i.indrelid = format('%%I.%%I', %s::text, %s::text)::regclass
        group by i.indexrelid, i.indisunique""",
        (node["schema"], node["alias"]),
    )
    return {(tuple(columns), unique) for columns, unique in rows}


def rebuild_outdated_incremental_models(
    settings: Settings, dbt: DbtCliResource, project: DbtProject
) -> list[str]:
    """Rebuild whole (--full-refresh) the incremental models whose table lacks a documented
    column or a declared index, with the views and tables they read (which may lack the new
    column too); the models rebuilt."""
    with connect(settings) as conn:
        outdated = outdated_incremental_models(conn, project.manifest_path)
    if outdated:
        upstream = [
            f"+{model},config.materialized:{materialized}"
            for model in outdated
            for materialized in ("view", "table")
        ]
        arguments = ["run", "--full-refresh", "--select", " ".join([*outdated, *upstream])]
        dbt.cli(arguments, manifest=project.manifest_path).wait()
    return outdated


KEPT_DBT_INVOCATIONS = 20
# dagster-dbt gives each invocation its own folder under target/: "<op>-<run>-<id>" from an
# asset run, a bare 7-hex id otherwise.
_INVOCATION_FOLDER = re.compile(r"([a-z_]+-[0-9a-f]{7}-)?[0-9a-f]{7}")


def prune_invocation_folders(target: Path, keep: int = KEPT_DBT_INVOCATIONS) -> list[Path]:
    """Delete all but the newest `keep` invocation folders under dbt's target/ (each holds a
    manifest, the compiled SQL and the log, about 4 MB, and one is left per run); the folders
    deleted. dbt's own files in target/ stay."""
    paths = target.iterdir() if target.is_dir() else ()
    folders = [path for path in paths if path.is_dir() and _INVOCATION_FOLDER.fullmatch(path.name)]
    folders.sort(key=lambda path: path.stat().st_mtime, reverse=True)
    for folder in folders[keep:]:
        shutil.rmtree(folder, ignore_errors=True)  # a concurrent run may delete it too
    return folders[keep:]


def build_dbt_assets(settings: Settings) -> dg.AssetsDefinition:
    project = dbt_project(settings)

    @dbt_assets(
        manifest=project.manifest_path,
        project=project,
        dagster_dbt_translator=WarehouseTranslator(),
    )
    def warehouse_models(
        context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource
    ):
        prepare_model_sources(warehouse.settings())
        rebuilt = rebuild_outdated_incremental_models(warehouse.settings(), dbt, project)
        if rebuilt:
            context.log.info(f"columns changed, rebuilt whole first: {', '.join(rebuilt)}")
        yield from dbt.cli(["build"], context=context).stream()
        pruned = prune_invocation_folders(project.project_dir / "target")
        if pruned:
            context.log.info(f"deleted {len(pruned)} old dbt invocation folders under target/")

    return warehouse_models
