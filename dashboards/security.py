"""Superset roles from dashboards/roles.yaml, and row-level security for supervisors.

A supervisor of a district or street gets the role `辖区 <code>`; publishing keeps one RLS
rule per division column for each such role, on every published dataset whose table has
that column: a street supervisor sees only `street_code = <street>` where the table has
street codes and `district_code = <the street's district>` where it has only districts; where
a table has only an `area_code` (a district, or 120000 for the city) a supervisor sees their
district's rows and the city's, not another district's.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from dashboards.bundle import Bundle
from dashboards.client import SupersetClient
from warehouse.connection import connect
from warehouse.settings import Settings

ROLES_FILE = Path(__file__).resolve().parent / "roles.yaml"
SCOPE_PREFIX = "辖区 "
DIVISION_CODE = re.compile(r"^\d{12}$")
# What every platform role may do: open dashboards and their charts, use native filters.
VIEWER = [
    ("can_read", "Dashboard"), ("can_read", "Chart"), ("can_read", "Dataset"),
    ("can_dashboard", "Superset"), ("can_dashboard_permalink", "Superset"),
    ("can_explore_json", "Superset"), ("can_log", "Superset"),
    ("can_language_pack", "Superset"), ("can_share_dashboard", "Superset"),
    ("can_read", "DashboardFilterStateRestApi"), ("can_write", "DashboardFilterStateRestApi"),
    ("can_read", "DashboardPermalinkRestApi"), ("can_write", "DashboardPermalinkRestApi"),
    ("can_time_range", "Api"), ("can_query", "Api"), ("can_query_form_data", "Api"),
    ("can_get", "Datasource"), ("can_read", "CurrentUserRestApi"), ("can_get", "MenuApi"),
    ("can_list", "AsyncEventsRestApi"), ("can_read", "Theme"), ("can_read", "AvailableDomains"),
    ("can_view_chart_as_table", "Dashboard"), ("can_recent_activity", "Log"),
    ("menu_access", "Dashboards"), ("menu_access", "Home"),
    ("can_read", "security"), ("can_read", "SecurityRestApi"),  # the CSRF token for API clients
    ("can_userinfo", "UserDBModelView"), ("resetmypassword", "UserDBModelView"),
    ("can_this_form_get", "ResetMyPasswordView"), ("can_this_form_post", "ResetMyPasswordView"),
]  # fmt: skip


def scope_clauses(code: str) -> dict[str, str]:
    """The RLS clause per division column for a supervisor of a 12-digit division code."""
    if not DIVISION_CODE.match(code) or code.endswith("000000000"):
        raise ValueError(f"{code!r} is not a 12-digit district or street code")
    district = code[:6]
    clauses = {
        "district_code": f"district_code = '{district}'",
        # indicators per district, and the city's (an aggregate, and the dashboard's default)
        "area_code": f"area_code in ('{district}', '120000')",
    }
    if code.endswith("000000"):
        return clauses
    return {"street_code": f"street_code = '{code}'", **clauses}


def _permission_ids(client: SupersetClient) -> dict[tuple[str, str], int]:
    rows = client.list("security/permissions-resources")
    return {(row["permission"]["name"], row["view_menu"]["name"]): row["id"] for row in rows}


def _role_ids(client: SupersetClient) -> dict[str, int]:
    return {row["name"]: row["id"] for row in client.list("security/roles")}


def ensure_role(client: SupersetClient, name: str) -> int:
    roles = _role_ids(client)
    if name not in roles:
        return client.post("/api/v1/security/roles/", {"name": name})["id"]
    return roles[name]


def _set_permissions(client: SupersetClient, role_id: int, wanted: set[int]) -> bool:
    current = client.get(f"/api/v1/security/roles/{role_id}/permissions/")["result"]
    if {row["id"] for row in current} == wanted:
        return False
    client.post(
        f"/api/v1/security/roles/{role_id}/permissions",
        {"permission_view_menu_ids": sorted(wanted)},
    )
    return True


def _datasets(client: SupersetClient) -> dict[str, dict]:
    rows = client.list("dataset", columns=["id", "uuid", "table_name", "schema"])
    return {str(row["uuid"]): row for row in rows}


def _dashboard_datasets(bundle: Bundle) -> dict[str, set[str]]:
    """Dataset UUIDs each dashboard (by slug) reads through its charts and filters."""
    chart_dataset = {
        str(c["uuid"]): str(c["dataset_uuid"]) for c in bundle.of_kind("charts").values()
    }
    used = {}
    for config in bundle.of_kind("dashboards").values():
        charts = [item["meta"]["uuid"] for item in config["position"].values()
                  if isinstance(item, dict) and item.get("type") == "CHART"]  # fmt: skip
        filters = config.get("metadata", {}).get("native_filter_configuration", [])
        targets = [
            t["datasetUuid"] for f in filters for t in f.get("targets", []) if "datasetUuid" in t
        ]
        used[config["slug"]] = {chart_dataset[str(c)] for c in charts} | set(targets)
    return used


def sync_roles(client: SupersetClient, bundle: Bundle, datasets: dict[str, dict]) -> list[str]:
    roles = yaml.safe_load(ROLES_FILE.read_text(encoding="utf-8"))["roles"]
    permissions = _permission_ids(client)
    viewer = {permissions[item] for item in VIEWER if item in permissions}
    by_dashboard = _dashboard_datasets(bundle)
    sql_lab_role = _role_ids(client).get("sql_lab")
    sql_lab = (
        {
            row["id"]
            for row in client.get(f"/api/v1/security/roles/{sql_lab_role}/permissions/")["result"]
        }
        if sql_lab_role
        else set()
    )
    databases = [
        c["database_name"]
        for c in bundle.of_kind("databases").values()
        if c.get("expose_in_sqllab")
    ]
    changed = []
    for name, spec in roles.items():
        wanted = set(viewer)
        for slug in spec.get("dashboards", []):
            for uuid in by_dashboard[slug]:
                suffix = f"(id:{datasets[uuid]['id']})"
                wanted |= {pid for (perm, view), pid in permissions.items()
                           if perm == "datasource_access" and view.endswith(suffix)}  # fmt: skip
        if spec.get("sql_lab"):
            wanted |= sql_lab
            wanted |= {
                pid
                for (perm, view), pid in permissions.items()
                if perm == "database_access" and any(view.startswith(f"[{d}]") for d in databases)
            }
        if _set_permissions(client, ensure_role(client, name), wanted):
            changed.append(f"role {name}")
    return changed


def _division_columns(settings: Settings, datasets: dict[str, dict]) -> dict[int, set[str]]:
    """Which division columns each published dataset's table has (read as the BI role)."""
    found: dict[int, set[str]] = {}
    with connect(settings, "bi") as conn:
        for row in datasets.values():
            columns = conn.execute(
                "select column_name from information_schema.columns"
                " where table_schema = %s and table_name = %s"
                " and column_name in ('district_code', 'street_code', 'area_code')",
                (row["schema"], row["table_name"]),
            ).fetchall()
            found[row["id"]] = {name for (name,) in columns}
    return found


def sync_scopes(client: SupersetClient, settings: Settings, datasets: dict[str, dict]) -> list[str]:
    """Bring every `辖区 <code>` role's RLS rules in step with the published datasets."""
    columns = _division_columns(settings, datasets)
    rules = {row["name"]: row for row in client.list("rowlevelsecurity")}
    changed = []
    for role, role_id in _role_ids(client).items():
        if not role.startswith(SCOPE_PREFIX):
            continue
        covered: set[int] = set()
        for column, clause in scope_clauses(role.removeprefix(SCOPE_PREFIX)).items():
            tables = sorted(t for t, cols in columns.items() if column in cols and t not in covered)
            covered |= set(tables)
            name = f"{role} · {column}"
            body = {"name": name, "filter_type": "Regular", "tables": tables, "roles": [role_id],
                    "clause": clause, "group_key": "", "description": "由数据平台维护"}  # fmt: skip
            rule = rules.get(name)
            if rule is None and tables:
                client.post("/api/v1/rowlevelsecurity/", body)
            elif rule is not None and not tables:
                client.delete(f"/api/v1/rowlevelsecurity/{rule['id']}")
            elif rule is not None and (
                sorted(t["id"] for t in rule["tables"]) != tables or rule["clause"] != clause
            ):
                client.put(f"/api/v1/rowlevelsecurity/{rule['id']}", body)
            else:
                continue
            changed.append(f"row-level security {name}")
    return changed


def sync(client: SupersetClient, settings: Settings, bundle: Bundle) -> list[str]:
    datasets = _datasets(client)
    return sync_roles(client, bundle, datasets) + sync_scopes(client, settings, datasets)


def grant_supervisor(
    client: SupersetClient, settings: Settings, *, username: str, password: str, division: str
) -> None:
    """A decision-maker account limited to one district or street (a 12-digit code)."""
    scope_clauses(division)  # refuses a malformed code before anything is created
    role_ids = [ensure_role(client, "养老决策"), ensure_role(client, SCOPE_PREFIX + division)]
    users = {
        row["username"]: row["id"]
        for row in client.list("security/users", columns=["id", "username"])
    }
    body = {"first_name": username, "last_name": division, "username": username,
            "email": f"{username}@eldercare.invalid", "active": True, "roles": role_ids,
            "password": password}  # fmt: skip
    if username in users:
        client.put(f"/api/v1/security/users/{users[username]}", body)
    else:
        client.post("/api/v1/security/users/", body)
    sync_scopes(client, settings, _datasets(client))
