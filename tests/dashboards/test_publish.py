"""Publishing against a running Superset: idempotence, deletion, chart data, RLS, roles."""

import shutil
import uuid

import pytest
import yaml

from dashboards import security, service
from dashboards.bundle import ASSETS, load_assets
from dashboards.client import SupersetClient
from dashboards.publish import exported, publish
from warehouse.connection import connect


def snapshot(client):
    """Every asset as exported, and when each chart, dataset and dashboard last changed."""
    changed = {
        resource: {row["uuid"]: row["changed_on_utc"] for row in client.list(resource)}
        for resource in ("chart", "dataset", "dashboard")
    }
    return exported(client), changed


def test_publishing_twice_changes_nothing(superset, admin):
    publish(superset)
    before = snapshot(admin)
    report = publish(superset)
    assert not report.changed, report.summary()
    assert snapshot(admin) == before


def test_a_changed_title_is_republished_and_a_dropped_chart_deleted(superset, admin, tmp_path):
    folder = tmp_path / "assets"
    shutil.copytree(ASSETS, folder)
    extra = folder / "charts" / "overview" / "extra.yaml"
    chart = yaml.safe_load((folder / "charts" / "overview" / "mean_age.yaml").read_text())
    chart.update(uuid=str(uuid.uuid4()), slice_name="临时图表")
    extra.write_text(yaml.safe_dump(chart, allow_unicode=True))
    title = folder / "charts" / "overview" / "total_elders.yaml"
    title.write_text(title.read_text().replace("slice_name: 老年人总数", "slice_name: 老年人合计"))

    report = publish(superset, folder)
    assert report.imported
    names = {row["slice_name"] for row in admin.list("chart")}
    assert {"临时图表", "老年人合计"} <= names

    report = publish(superset)  # the committed YAML again: the extra chart goes
    assert report.deleted == [f"chart {chart['uuid']}"]
    names = {row["slice_name"] for row in admin.list("chart")}
    assert "临时图表" not in names and "老年人总数" in names
    assert not publish(superset).changed


def test_every_chart_returns_rows_on_the_sample_data(superset, admin):
    charts = {row["uuid"]: row for row in admin.list("chart")}
    published = [c for p, c in load_assets().items() if p.startswith("charts/")]
    assert published
    for config in published:
        answer = admin.chart_data(charts[str(config["uuid"])]["id"])
        for result in answer["result"]:  # a mixed chart answers two queries
            assert not result.get("error"), (config["slice_name"], result.get("error"))
            assert result["rowcount"] > 0, config["slice_name"]


def elders_by_street(settings):
    with connect(settings, "bi") as conn:
        return dict(conn.execute("select street_code, count(*) from marts.dim_elders group by 1"))


def street_level_tables(settings):
    """The marts tables that carry a street code."""
    with connect(settings, "bi") as conn:
        rows = conn.execute(
            "select table_name from information_schema.columns"
            " where table_schema = 'marts' and column_name = 'street_code'"
        )
        return {name for (name,) in rows}


def by_street(client, dataset, metric, column="street_code"):
    """A dataset's first metric per street code (or another column), as the client sees it."""
    query = {
        "datasource": {"id": dataset, "type": "table"},
        "queries": [{"columns": [{"label": "street", "sqlExpression": column,
                                  "expressionType": "SQL"}],
                     "metrics": [metric], "row_limit": 10000}],
        "result_format": "json", "result_type": "full",
    }  # fmt: skip
    return {
        row["street"]: row[metric]
        for row in client.post("/api/v1/chart/data", query)["result"][0]["data"]
    }


def test_row_level_security_hides_other_streets_from_a_street_supervisor(superset, admin):
    streets = elders_by_street(superset)
    assert len(streets) >= 2, "the sample must have elders in two streets"
    street = max(streets, key=lambda code: (streets[code], code))
    security.grant_supervisor(admin, superset, username="street_supervisor",
                              password="街道-supervisor-pass-1", division=street)  # fmt: skip
    ids = {row["table_name"]: row["id"] for row in admin.list("dataset")}
    datasets = [d for path, d in load_assets().items() if path.startswith("datasets/")]
    metrics = {d["table_name"]: d["metrics"][0]["metric_name"] for d in datasets if d["metrics"]}
    street_level = sorted(street_level_tables(superset) & set(ids) & set(metrics))
    # the dashboards' street-level datasets, not only the regions' (issue 9)
    dashboards_own = {"rpt_elder_overview", "rpt_service_statistics", "rpt_elder_statistics"}
    assert dashboards_own <= set(street_level)
    seen_by_admin = {table: by_street(admin, ids[table], metrics[table]) for table in street_level}
    assert seen_by_admin["rpt_elder_overview"] == streets  # dim_elders' elders, summed
    assert len(seen_by_admin["rpt_service_statistics"]) >= 2

    with SupersetClient(service.base_url(superset), "street_supervisor",
                        "街道-supervisor-pass-1") as supervisor:  # fmt: skip
        for table in street_level:  # every dataset with a street: that street's rows only
            own = {code: value for code, value in seen_by_admin[table].items() if code == street}
            assert by_street(supervisor, ids[table], metrics[table]) == own, table
        charts = {row["slice_name"]: row["id"] for row in admin.list("chart")}
        total = supervisor.chart_data(charts["老年人总数"])["result"][0]["data"][0]
        with connect(superset, "bi") as conn:
            in_district = conn.execute(
                "select elder_count from marts.rpt_elders_by_district where district_code = %s",
                (street[:6],),
            ).fetchone()[0]
        assert total["elder_count"] == in_district  # a district-level mart: their district only
        indicators = ids["rpt_indicators_yoy_mom"], metrics["rpt_indicators_yoy_mom"]
        areas = by_street(supervisor, *indicators, column="area_code")
    assert set(areas) == {street[:6], "120000"}  # their district's indicators and the city's
    assert len(by_street(admin, *indicators, column="area_code")) > len(areas)


# The overview's elder charts, and what dim_elders (one row per elder) says they show.
OVERVIEW_FROM_DIM_ELDERS = {
    "能力等级分布": "select ability_level, count(*) from marts.dim_elders {where} group by 1",
    "年龄段分布": "select age_band, count(*) from marts.dim_elders {where} group by 1",
    "入住机构老年人": "select count(*) filter (where is_in_institution)"
    " from marts.dim_elders {where}",
    "平均年龄": "select avg(age)::float from marts.dim_elders {where}",
}


def overview_numbers(client, chart_id, filters=None):
    """A chart's rows as {group: 老年人数}, or its one number."""
    [rows] = [result["data"] for result in client.chart_data(chart_id, filters)["result"]]
    if len(rows[0]) == 1:
        return next(iter(rows[0].values()))
    return {row[next(iter(row))]: row["elders"] for row in rows}


def test_the_overview_charts_on_the_summed_mart_show_what_dim_elders_says(superset, admin):
    """The four elder charts of 养老数据总览 read rpt_elder_overview (a few thousand rows, not
    every elder) and give dim_elders' numbers: for the city, and under the 区 filter."""
    charts = {row["slice_name"]: row["id"] for row in admin.list("chart")}
    with connect(superset, "bi") as conn:
        code, name = conn.execute(
            "select d.district_code, r.district_name from marts.dim_elders as d"
            " join marts.rpt_elders_by_district as r using (district_code)"
            " group by 1, 2 order by count(*) desc, 1 limit 1"
        ).fetchone()
        district = [{"col": "district_name", "op": "IN", "val": [name]}]
        for where, filters in (("", None), (f"where district_code = '{code}'", district)):
            for chart, sql in OVERVIEW_FROM_DIM_ELDERS.items():
                rows = conn.execute(sql.format(where=where)).fetchall()
                expected = rows[0][0] if len(rows[0]) == 1 else dict(rows)
                shown = overview_numbers(admin, charts[chart], filters)
                assert shown == pytest.approx(expected, rel=1e-9), (chart, where)


def test_viewers_see_dashboards_but_not_sql_lab_and_analysts_query_marts(superset, admin):
    roles = {row["name"]: row["id"] for row in admin.list("security/roles")}
    people = (("viewer_a", "养老决策"), ("steward_a", "养老数据治理"), ("analyst_a", "养老分析"))
    for username, role in people:
        users = {row["username"]: row["id"] for row in admin.list("security/users")}
        body = {"first_name": username, "last_name": role, "username": username,
                "email": f"{username}@eldercare.invalid", "active": True,
                "roles": [roles[role]], "password": "pass-for-" + username}  # fmt: skip
        if username not in users:
            admin.post("/api/v1/security/users/", body)
    query = {"database_id": None, "sql": "select count(*) as n from marts.rpt_elders_by_district",
             "runAsync": False, "schema": "marts"}  # fmt: skip
    databases = {row["database_name"]: row["id"] for row in admin.list("database")}
    query["database_id"] = databases["养老数据分析"]
    base = service.base_url(superset)
    decision = {"overview", "regions", "indicators", "services", "elders", "subsidies",
                "forecast"}  # fmt: skip
    with SupersetClient(base, "viewer_a", "pass-for-viewer_a") as viewer:
        assert {row["slug"] for row in viewer.list("dashboard")} == decision
        assert viewer.http.post("/api/v1/sqllab/execute/", json=query).status_code in (401, 403)
    with SupersetClient(base, "steward_a", "pass-for-steward_a") as steward:
        assert {row["slug"] for row in steward.list("dashboard")} == decision | {"data_quality"}
    with SupersetClient(base, "analyst_a", "pass-for-analyst_a") as analyst:
        answer = analyst.post("/api/v1/sqllab/execute/", query)
        assert answer["data"] == [{"n": 16}]
