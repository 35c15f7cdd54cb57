"""Superset at whatever store warehouse.yml (or $ELDERCARE_CONFIG) points to: every chart's
query time through its data endpoint, with its dashboard's default month (goal ≤ 0.5 s each at
Tianjin scale), and the time until each dashboard is fully rendered in headless Chromium.
Superset is started if it is down and the assets are published first. Results go to
bench/results/superset_charts.json, a screenshot of each dashboard to bench/results/screenshots/.

Tianjin scale: point ELDERCARE_CONFIG at a store whose marts were built from
`eldercare feeds generate --elders 3200000`, then run this script.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from dashboards import service
from dashboards.browser import Chromium, login, open_dashboard
from dashboards.bundle import load_assets
from dashboards.publish import admin_client, publish
from warehouse.settings import load_settings

RESULTS = Path(__file__).resolve().parent / "results"
SCREENSHOTS = RESULTS / "screenshots"  # one per dashboard, to look at
LATEST_MONTH = [{"col": "month_choice", "op": "IN", "val": ["最新月份"]}]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="queries per chart (best kept)")
    args = parser.parse_args()
    settings = load_settings()
    service.start(settings)
    publish(settings)
    assets = load_assets()
    stock_datasets = {
        asset["uuid"]
        for path, asset in assets.items()
        if path.startswith("datasets/")
        and any(column["column_name"] == "month_choice" for column in asset["columns"])
    }
    figures: dict = {"charts": {}, "dashboards": {}}
    with admin_client(settings) as client:
        ids = {row["uuid"]: row["id"] for row in client.list("chart")}
        for path, chart in assets.items():
            if not path.startswith("charts/"):
                continue
            # as its dashboard opens it: the stock datasets' 月份 filter defaults to 最新月份
            filters = LATEST_MONTH if chart["dataset_uuid"] in stock_datasets else []
            times = []
            for _ in range(args.repeat):
                started = time.perf_counter()
                client.chart_data(ids[str(chart["uuid"])], filters)
                times.append(time.perf_counter() - started)
            name = path.removeprefix("charts/").removesuffix(".yaml")
            figures["charts"][name] = round(min(times), 3)
            print(f"{name} {chart['slice_name']}: {min(times):.3f} s")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with Chromium() as browser:
        base = service.base_url(settings)
        login(browser, base, settings.superset.admin_user, service.admin_password(settings))
        for path, dashboard in assets.items():
            if path.startswith("dashboards/"):
                state = open_dashboard(browser, base, dashboard["slug"])
                browser.screenshot(SCREENSHOTS / f"{dashboard['slug']}.png", full_page=True)
                figures["dashboards"][dashboard["slug"]] = {
                    "seconds": round(state.seconds, 2),
                    "charts": state.charts,
                    "drawn": state.drawn,
                    "errors": state.errors,
                }
                errors = state.errors or "none"
                print(
                    f"{dashboard['dashboard_title']}: rendered in {state.seconds:.2f} s,"
                    f" {state.drawn} of {state.charts} charts drawn, errors: {errors}"
                )
    (RESULTS / "superset_charts.json").write_text(json.dumps(figures, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
