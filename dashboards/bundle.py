"""The assets in dashboards/assets as Superset's import bundle, with the store filled in.

The YAML is Superset's own export format, unzipped. Two things are filled in at publish
time and never committed: a database's `sqlalchemy_uri` is written `eldercare-role:<key>`
(a role key of warehouse.yml: bi, analyst) and becomes that role's URI on the configured
store, its password going to the import's `passwords` map; and a chart without a saved
`query_context` gets one made from its params, so its data endpoint answers without a
browser having opened it first.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from warehouse.connection import conninfo
from warehouse.settings import Settings

ASSETS = Path(__file__).resolve().parent / "assets"
ROLE_PLACEHOLDER = "eldercare-role:"
MASK = "XXXXXXXXXX"  # how Superset writes a password it will not show
KINDS = ("databases", "datasets", "charts", "dashboards")
ROOT = "eldercare_dashboards"


@dataclass
class Bundle:
    """Parsed asset files by their path in the bundle (databases/eldercare_bi.yaml, ...)."""

    files: dict[str, dict]
    passwords: dict[str, str] = field(default_factory=dict)

    def of_kind(self, kind: str) -> dict[str, dict]:
        return {path: config for path, config in self.files.items() if path.startswith(kind)}

    def uuids(self, kind: str) -> set[str]:
        return {str(config["uuid"]) for config in self.of_kind(kind).values()}

    def to_zip(self) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path, config in sorted(self.files.items()):
                text = yaml.safe_dump(config, allow_unicode=True, sort_keys=False)
                archive.writestr(f"{ROOT}/{path}", text)
        return buffer.getvalue()


def load_assets(folder: Path = ASSETS) -> dict[str, dict]:
    """Every YAML file of the assets folder, by its path relative to the folder."""
    files = {}
    for path in sorted(folder.rglob("*.yaml")):
        relative = path.relative_to(folder).as_posix()
        if relative == "metadata.yaml" or relative.split("/")[0] in KINDS:
            files[relative] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return files


def database_uri(settings: Settings, role_key: str) -> str:
    """The role's URI on the configured store, its password masked as Superset shows it."""
    info = conninfo(settings, role_key, "warehouse")
    return (
        f"postgresql+psycopg2://{info['user']}:{MASK}@{info['host']}:{info['port']}"
        f"/{info['dbname']}"
    )


def _query(params: dict, suffix: str = "") -> dict:
    """One query of a chart: its columns, metrics and filters (suffix `_b`: a mixed chart's
    second query)."""
    raw = params.get("query_mode") == "raw"
    keys = ["all_columns"] if raw else ["groupby", "groupbyRows", "groupbyColumns"]
    columns = [params["x_axis"]] if params.get("x_axis") else []
    for key in keys:
        columns += params.get(key + suffix) or []
    metrics = params.get("metrics" + suffix) or (
        [params["metric"]] if params.get("metric") and not suffix else []
    )
    metrics = None if raw else metrics  # no metrics at all (not an empty list): no GROUP BY
    adhoc = params.get("adhoc_filters" + suffix) or []
    filters = [
        {"col": item["subject"], "op": item["operator"], "val": item.get("comparator")}
        for item in adhoc
        if item.get("expressionType") == "SIMPLE"
    ]
    where = " AND ".join(
        f"({item['sqlExpression']})"
        for item in adhoc
        if item.get("expressionType") == "SQL" and item.get("clause", "WHERE") == "WHERE"
    )
    if raw:
        orderby = [json.loads(item) for item in params.get("order_by_cols") or []]
    else:
        orderby = [[metrics[0], False]] if metrics and columns else []
    return {
        "columns": columns,
        "metrics": metrics,
        "filters": filters,
        "orderby": orderby,
        "row_limit": params.get("row_limit", 10000),
        "extras": {"having": "", "where": where},
    }


def _query_context(params: dict) -> dict:
    """What the frontend would send for an aggregate or raw chart: columns, metrics, filters;
    a mixed time-series chart has a second query (the params ending in `_b`)."""
    queries = [_query(params)]
    if params.get("viz_type") == "mixed_timeseries":
        queries.append(_query(params, "_b"))
    return {"queries": queries, "form_data": params, "result_format": "json", "result_type": "full"}


def render(settings: Settings, folder: Path = ASSETS) -> Bundle:
    """The import bundle: URIs and passwords filled in, query contexts made where missing."""
    from warehouse.secrets import password

    files, passwords = {}, {}
    for path, source in load_assets(folder).items():
        config = json.loads(json.dumps(source))  # a deep copy the bundle may change
        uri = str(config.get("sqlalchemy_uri", ""))
        if path.startswith("databases/") and uri.startswith(ROLE_PLACEHOLDER):
            role_key = uri.removeprefix(ROLE_PLACEHOLDER)
            config["sqlalchemy_uri"] = database_uri(settings, role_key)
            passwords[path] = password(settings, role_key)
        if path.startswith("charts/"):
            context = config.get("query_context") or _query_context(config["params"])
            if isinstance(context, dict):
                config["query_context"] = json.dumps(context, ensure_ascii=False)
        files[path] = config
    return Bundle(files=files, passwords=passwords)
