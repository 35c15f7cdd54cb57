"""Publish dashboards/assets to Superset: import, delete what the YAML dropped, roles, RLS.

Idempotent by comparison: the bundle is imported only when Superset's own export differs
from it, so publishing twice changes nothing (no import, no timestamps moved). Assets the
platform published carry `is_managed_externally`; one of those whose UUID the YAML no
longer has is deleted. Assets people made in the UI are never touched.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from dashboards import security, service
from dashboards.bundle import ASSETS, Bundle, render
from dashboards.client import SupersetClient
from warehouse.settings import Settings

# Keys Superset's export never writes back (or writes under another name).
NOT_EXPORTED = {"is_managed_externally", "external_url", "password", "chartId", "datasource"}
RENAMED = {"allow_file_upload": "allow_csv_upload",
           "schemas_allowed_for_file_upload": "schemas_allowed_for_csv_upload"}  # fmt: skip
# Deleted in this order: nothing is removed while something published still uses it.
RESOURCES = (("dashboards", "dashboard"), ("charts", "chart"), ("datasets", "dataset"),
             ("databases", "database"))  # fmt: skip


@dataclass
class PublishReport:
    imported: bool = False
    differences: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    security: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.imported or bool(self.deleted) or bool(self.security)

    def summary(self) -> str:
        if not self.changed:
            return "Superset already has these dashboards: nothing changed"
        lines = ["imported the bundle" if self.imported else "bundle already published"]
        lines += [f"  changed: {item}" for item in self.differences[:20]]
        lines += [f"deleted {item}" for item in self.deleted]
        lines += [f"updated {item}" for item in self.security]
        return "\n".join(lines)


def _normalise(value):
    """Comparable form: JSON strings parsed, renamed keys mapped, unexported keys dropped."""
    if isinstance(value, dict):
        return {
            RENAMED.get(key, key): _normalise(item)
            for key, item in value.items()
            if key not in NOT_EXPORTED
        }
    if isinstance(value, list):
        return [_normalise(item) for item in value]
    if isinstance(value, str) and value[:1] in "{[":
        try:
            return _normalise(json.loads(value))
        except ValueError:
            return value
    return value


def _key(item):
    if isinstance(item, dict):
        for name in ("column_name", "metric_name", "id"):
            if name in item:
                return item[name]
    return None


def differences(desired, actual, where: str = "") -> list[str]:
    """Where `actual` does not have what `desired` says (keys it adds are fine)."""
    if isinstance(desired, dict):
        if not isinstance(actual, dict):
            return [where]
        found = []
        for key, value in desired.items():
            if key not in actual:
                if value not in (None, "", [], {}, False):
                    found.append(f"{where}.{key}")
            else:
                found += differences(value, actual[key], f"{where}.{key}")
        return found
    if isinstance(desired, list):
        if not isinstance(actual, list) or len(desired) != len(actual):
            return [where]
        if desired and all(_key(item) is not None for item in desired):
            by_key = {_key(item): item for item in actual}
            return [
                problem
                for item in desired
                for problem in differences(item, by_key.get(_key(item)), f"{where}[{_key(item)}]")
            ]
        return [
            p
            for i, (d, a) in enumerate(zip(desired, actual, strict=True))
            for p in differences(d, a, f"{where}[{i}]")
        ]
    return [] if desired == actual else [where]


def exported(client: SupersetClient) -> dict[str, dict]:
    """Everything Superset holds, from its own export, by UUID."""
    answer = client.http.get("/api/v1/assets/export/")
    answer.raise_for_status()
    configs = {}
    with zipfile.ZipFile(io.BytesIO(answer.content)) as archive:
        for name in archive.namelist():
            config = yaml.safe_load(archive.read(name))
            if isinstance(config, dict) and "uuid" in config:
                configs[str(config["uuid"])] = config
    return configs


def _scopes_by_uuid(config: dict) -> dict:
    """A copy of a dashboard whose native filters name the charts they leave out by UUID:
    the YAML numbers charts locally (chartId), Superset's export by its own ids."""
    config = json.loads(json.dumps(config))
    position = config.get("position") or {}
    charts = {
        item["meta"]["chartId"]: item["meta"]["uuid"]
        for item in position.values()
        if isinstance(item, dict) and "chartId" in item.get("meta", {})
    }
    for native_filter in (config.get("metadata") or {}).get("native_filter_configuration", []):
        scope = native_filter.get("scope") or {}
        if scope.get("excluded"):
            scope["excluded"] = sorted(str(charts.get(i, i)) for i in scope["excluded"])
    return config


def unpublished_changes(client: SupersetClient, bundle: Bundle) -> list[str]:
    current = exported(client)
    found = []
    for path, config in bundle.files.items():
        if path == "metadata.yaml":
            continue
        actual = current.get(str(config["uuid"]))
        if actual is None:
            found.append(f"{path}: not published")
        else:
            if path.startswith("dashboards/"):
                config, actual = _scopes_by_uuid(config), _scopes_by_uuid(actual)
            found += [
                f"{path}: {where}" for where in differences(_normalise(config), _normalise(actual))
            ]
    return found


def import_bundle(client: SupersetClient, bundle: Bundle) -> None:
    client.request(
        "POST",
        "/api/v1/assets/import/",
        files={"bundle": ("eldercare_dashboards.zip", bundle.to_zip(), "application/zip")},
        data={"passwords": json.dumps(bundle.passwords)},
    )


def delete_obsolete(client: SupersetClient, bundle: Bundle) -> list[str]:
    """Delete published (managed) assets whose UUID the bundle no longer has."""
    deleted = []
    for kind, resource in RESOURCES:
        keep = bundle.uuids(kind)
        for row in client.list(resource, columns=["id", "uuid", "is_managed_externally"]):
            if row.get("is_managed_externally") and str(row.get("uuid")) not in keep:
                client.delete(f"/api/v1/{resource}/{row['id']}")
                deleted.append(f"{resource} {row['uuid']}")
    return deleted


def admin_client(settings: Settings) -> SupersetClient:
    return SupersetClient(
        service.base_url(settings), settings.superset.admin_user, service.admin_password(settings)
    )


def publish(settings: Settings, folder: Path = ASSETS, force: bool = False) -> PublishReport:
    """Bring Superset in step with the YAML; a second run finds nothing to do."""
    bundle = render(settings, folder)
    report = PublishReport()
    with admin_client(settings) as client:
        report.differences = unpublished_changes(client, bundle)
        if report.differences or force:
            import_bundle(client, bundle)
            report.imported = True
        report.deleted = delete_obsolete(client, bundle)
        report.security = security.sync(client, settings, bundle)
    return report
