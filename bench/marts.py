"""dbt build time of the whole project, a new month's incremental build, dbt's slowest models and
the slowest dashboard-like query on the marts (issue "Analytics marts").

Feeds are generated over the given months plus one more, which is held back: every given month
is loaded, linked and built with `dbt build --full-refresh`; then the held-back month is loaded,
the store relinked and `dbt build` run again without --full-refresh. Generating, loading and
linking are timed too, each in a child process of its own. The operational API's tables get a
bulk history over the given months (bench/ops_volume.py: orders, follow-ups, complaints,
supervision cases, call tickets), so the service marts are built from data too. The bench store
is left running, built: point bench/superset_charts.py at it with
ELDERCARE_CONFIG=bench/results/warehouse.yml. Usage:
    python bench/marts.py --elders 100000 --months 2024-10:2026-10
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.store import (
    RESULTS,
    empty_raw_and_linkage,
    in_child,
    peak_rss_mb,
    save_report,
    start_store,
)
from ingestion.landing import month_end

TIANJIN = 3_200_000
DISTRICT_COLUMNS = ("district_code", "district_name", "district")
GROUP_COLUMNS = ("street_code", "street_name", "age_band", "item_code", "kind")
NUMERIC = ("smallint", "integer", "bigint", "numeric", "real", "double precision")


def _next_month(month: str) -> str:
    year, number = (int(part) for part in month.split("-"))
    return f"{year + number // 12}-{number % 12 + 1:02d}"


def _generate(work: Path, elders: int, months: tuple[str, str], queue) -> None:
    from ingestion.generator import generate

    summary = generate(work / "landing", work / "truth", elders=elders, months=months, seed=1)
    queue.put({"rows": summary.total_rows, "seconds": round(summary.elapsed_seconds, 1),
               "peak_rss_mb": peak_rss_mb()})  # fmt: skip


def _load(work: Path, months: list[str], fresh: bool, queue) -> None:
    """Load the given delivery months of every source (after emptying raw and linkage if fresh)."""
    from ingestion.feeds import FEEDS, load_regions, load_source
    from warehouse.connection import connect

    settings = start_store()
    with connect(settings) as conn:
        if fresh:
            empty_raw_and_linkage(conn)
        began, rows = time.perf_counter(), 0
        if fresh:
            load_regions(conn, work / "landing")
        for source in FEEDS:
            for month in months:
                results = load_source(conn, settings, source, work / "landing", month)
                rows += sum(r.delivered for r in results)
        seconds = time.perf_counter() - began
    queue.put({"months": len(months), "rows": rows, "seconds": round(seconds, 1),
               "peak_rss_mb": peak_rss_mb()})  # fmt: skip


def _link(reference: str, queue) -> None:
    from quality.linkage.run import link

    settings = start_store()
    began = time.perf_counter()
    summary = link(settings, reference)
    queue.put({"seconds": round(time.perf_counter() - began, 1), "peak_rss_mb": peak_rss_mb(),
               "records": summary.records, "elders": summary.elders})  # fmt: skip


def _ops_volume(work: Path, months: tuple[str, str], per_elder: float, queue) -> None:
    from bench.ops_volume import fill

    settings = start_store()
    queue.put(fill(settings, work / "landing", *months, orders_per_elder=per_elder))


def _run_results(dbt_path: Path) -> dict:
    """Statuses and the slowest models and tests of the last dbt invocation."""
    data = json.loads((dbt_path / "target" / "run_results.json").read_text(encoding="utf-8"))
    results = data["results"]
    statuses: dict[str, int] = {}
    for result in results:
        statuses[result["status"]] = statuses.get(result["status"], 0) + 1

    def slowest(kind: str) -> list[dict]:
        nodes = [r for r in results if r["unique_id"].startswith(kind + ".")]
        nodes.sort(key=lambda r: r["execution_time"], reverse=True)
        return [{"node": r["unique_id"].split(".", 2)[-1], "seconds": round(r["execution_time"], 1)}
                for r in nodes[:5]]  # fmt: skip

    def seconds(kind: str) -> float:
        timed = [r["execution_time"] for r in results if r["unique_id"].startswith(kind)]
        return round(sum(timed), 1)

    return {
        "dbt_elapsed_seconds": round(data.get("elapsed_time", 0), 1),
        "statuses": statuses,
        "model_seconds_sum": seconds("model."),
        "test_seconds_sum": seconds("test."),
        "slowest_models": slowest("model"),
        "slowest_tests": slowest("test"),
    }


def _dbt_build(settings, full_refresh: bool, keep_results_as: Path) -> dict:
    """dbt build, timed; its run_results.json is copied to keep_results_as for a closer look."""
    from orchestration.environment import dbt_environment

    dbt = Path(sys.executable).parent / "dbt"
    command = [str(dbt), "build"]
    if full_refresh:
        command.insert(2, "--full-refresh")
    env = os.environ | dbt_environment(settings)
    began = time.perf_counter()
    result = subprocess.run(command, cwd=settings.dbt_path, env=env, capture_output=True,
                            text=True, check=False)  # fmt: skip
    figures = {"seconds": round(time.perf_counter() - began, 1), "returncode": result.returncode}
    if result.returncode != 0:
        print(result.stdout[-4000:], result.stderr[-2000:], sep="\n", flush=True)
    shutil.copy(Path(settings.dbt_path) / "target" / "run_results.json", keep_results_as)
    return figures | _run_results(Path(settings.dbt_path))


def _store_figures(settings) -> dict:
    from warehouse.connection import connect

    with connect(settings) as conn:
        size = conn.execute("select pg_database_size(current_database())").fetchone()[0]
        rows = conn.execute("select count(*) from marts.fct_elder_months").fetchone()[0]
        months = conn.execute("select count(distinct month) from marts.fct_elder_months")
        return {"database_mb": round(size / 2**20), "fct_elder_months_rows": rows,
                "fct_elder_months_months": months.fetchone()[0]}  # fmt: skip


def _dashboard_queries(settings) -> list[dict]:
    """Per mart with a month or payment_month column: filter on its latest month and its biggest
    district, aggregate (count and sums, by street or another small dimension if it has one).
    Wall time of fetching the result, median of three runs."""
    from psycopg import sql

    from warehouse.connection import connect

    timed = []
    with connect(settings) as conn:
        conn.autocommit = True
        columns: dict[str, dict[str, str]] = {}
        for table, column, kind in conn.execute(
            "select table_name, column_name, data_type from information_schema.columns"
            " where table_schema = 'marts' order by table_name, ordinal_position"
        ):
            columns.setdefault(table, {})[column] = kind
        for table, kinds in sorted(columns.items()):
            month = next((c for c in ("month", "payment_month") if c in kinds), None)
            if month is None:
                continue
            name = sql.Identifier("marts", table)
            latest = conn.execute(sql.SQL("select max({}) from {}").format(
                sql.Identifier(month), name)).fetchone()[0]  # fmt: skip
            if latest is None:
                timed.append({"mart": table, "rows": 0, "ms": None, "note": "empty"})
                continue
            where = [sql.SQL("{} = %s").format(sql.Identifier(month))]
            params: list = [latest]
            district = next((c for c in DISTRICT_COLUMNS if c in kinds), None)
            if district:
                value = conn.execute(
                    sql.SQL("select {d} from {t} where {m} = %s and {d} is not null group by 1"
                            " order by count(*) desc limit 1").format(
                        d=sql.Identifier(district), t=name, m=sql.Identifier(month)),
                    (latest,),
                ).fetchone()  # fmt: skip
                if value:
                    where.append(sql.SQL("{} = %s").format(sql.Identifier(district)))
                    params.append(value[0])
            group = next((c for c in GROUP_COLUMNS if c in kinds), None)
            sums = [c for c, k in kinds.items() if k in NUMERIC and c != month][:3]
            select = [sql.SQL("count(*)")] + [
                sql.SQL("sum({})").format(sql.Identifier(c)) for c in sums
            ]
            query = sql.SQL("select {g}{s} from {t} where {w}{by}").format(
                g=sql.SQL("{}, ").format(sql.Identifier(group)) if group else sql.SQL(""),
                s=sql.SQL(", ").join(select),
                t=name,
                w=sql.SQL(" and ").join(where),
                by=sql.SQL(" group by 1") if group else sql.SQL(""),
            )
            runs = []
            for _ in range(3):
                began = time.perf_counter()
                conn.execute(query, params).fetchall()
                runs.append((time.perf_counter() - began) * 1000)
            rows = conn.execute(sql.SQL("select count(*) from {}").format(name)).fetchone()[0]
            timed.append({"mart": table, "rows": rows, "ms": round(statistics.median(runs), 1),
                          "query": query.as_string(conn),
                          "params": [str(p) for p in params]})  # fmt: skip
    return sorted(timed, key=lambda q: q["ms"] or 0, reverse=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--elders", type=int, default=100_000)
    parser.add_argument("--months", default="2024-10:2026-10")
    parser.add_argument("--orders-per-elder", type=float, default=2.0,
                        help="service orders per counted elder over the months")  # fmt: skip
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    args = parser.parse_args()
    first, last = args.months.split(":")
    extra = _next_month(last)
    work = RESULTS / f"marts-{args.elders}"
    shutil.rmtree(work, ignore_errors=True)
    report: dict = {"elders": args.elders, "months": args.months, "new_month": extra}

    report["generate"] = in_child(_generate, work, args.elders, (first, extra))
    print(f"generate ({first}..{extra}): {report['generate']}", flush=True)
    from ingestion.feeds import FEEDS
    from ingestion.landing import delivery_months

    delivered = {m for s in FEEDS for m in delivery_months(work / "landing", s)}
    given = sorted(m for m in delivered if m <= last)
    report["load"] = in_child(_load, work, given, True)
    print(f"load: {report['load']}", flush=True)
    report["link"] = in_child(_link, month_end(last))
    print(f"link: {report['link']}", flush=True)

    from orchestration.assets.transform import prepare_model_sources

    settings = start_store()
    began = time.perf_counter()
    prepare_model_sources(settings)
    report["prepare_model_sources_seconds"] = round(time.perf_counter() - began, 1)
    report["ops_volume"] = in_child(_ops_volume, work, (first, last), args.orders_per_elder)
    print(f"operational history: {report['ops_volume']}", flush=True)
    kept = RESULTS / f"marts-{args.elders}-run_results-full.json"
    report["dbt_full"] = _dbt_build(settings, full_refresh=True, keep_results_as=kept)
    report["dbt_full"] |= _store_figures(settings)
    print(f"dbt build --full-refresh: {json.dumps(report['dbt_full'])}", flush=True)

    report["new_month_load"] = in_child(_load, work, [extra], False)
    print(f"load {extra}: {report['new_month_load']}", flush=True)
    report["new_month_link"] = in_child(_link, month_end(extra))
    print(f"relink: {report['new_month_link']}", flush=True)
    kept = RESULTS / f"marts-{args.elders}-run_results-new-month.json"
    report["dbt_new_month"] = _dbt_build(settings, full_refresh=False, keep_results_as=kept)
    report["dbt_new_month"] |= _store_figures(settings)
    print(f"dbt build (new month): {json.dumps(report['dbt_new_month'])}", flush=True)

    queries = _dashboard_queries(settings)
    report["queries"] = queries
    for query in queries[:5]:
        print(f"query {query['mart']}: {query['ms']} ms over {query['rows']} rows", flush=True)

    factor = TIANJIN / args.elders
    report["extrapolation_to_3_2m"] = {
        "method": f"linear in rows: measured x {factor:g} (3.2 M / {args.elders} elders)",
        "dbt_full_seconds": round(report["dbt_full"]["seconds"] * factor),
        "dbt_new_month_seconds": round(report["dbt_new_month"]["seconds"] * factor),
        "slowest_query_ms": round((queries[0]["ms"] or 0) * factor) if queries else None,
        "goals": {"dbt_full_seconds": 300, "dbt_new_month_seconds": 60, "query_ms": 500},
    }
    print(f"extrapolated: {json.dumps(report['extrapolation_to_3_2m'])}", flush=True)
    save_report(f"marts-{args.elders}", report, work, args.keep)


if __name__ == "__main__":
    main()
