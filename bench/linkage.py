"""Record linkage against the generator's truth: pairwise precision, recall and F1, pair
completeness, time and peak memory (issue "One elder database").

Feeds are generated and loaded first (not timed here; see bench/ingest.py), then linkage
runs in a child process of its own, so its peak RSS is its own. Then the last month is
loaded and linked as a monthly delivery would be (incremental: only its rows are linked),
and finally everything is relinked (`mode="full"`) to compare with the incremental run:
`ids_changed` counts rows whose elder id moved. Usage:
    python bench/linkage.py --elders 100000 --months 2024-10:2026-10
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
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


def _prepare(work: Path, elders: int, months: tuple[str, str], queue) -> None:
    """Generate the feeds and load every month but the last."""
    from ingestion.feeds import FEEDS, load_regions, load_source
    from ingestion.generator import generate
    from ingestion.landing import delivery_months
    from warehouse.connection import connect

    generate(work / "landing", work / "truth", elders=elders, months=months, seed=1)
    settings = start_store()
    with connect(settings) as conn:
        empty_raw_and_linkage(conn)
        load_regions(conn, work / "landing")
        loaded = sorted({m for s in FEEDS for m in delivery_months(work / "landing", s)})[:-1]
        for source in FEEDS:
            for month in loaded:
                load_source(conn, settings, source, work / "landing", month)
    queue.put({"months_loaded": len(loaded)})


def _load_last_month(work: Path, queue) -> None:
    from ingestion.feeds import FEEDS, load_source
    from ingestion.landing import delivery_months
    from warehouse.connection import connect

    settings = start_store()
    last = max(m for s in FEEDS for m in delivery_months(work / "landing", s))
    with connect(settings) as conn:
        for source in FEEDS:
            load_source(conn, settings, source, work / "landing", last)
    queue.put({"month": last})


def _keep_ids(conn) -> None:
    """The elder id of every row before a run, in SQL (so it costs the child no memory)."""
    conn.execute("drop table if exists linkage.bench_previous_ids")
    if conn.execute("select to_regclass('linkage.elder_xref')").fetchone()[0]:
        conn.execute(
            "create table linkage.bench_previous_ids as"
            " select source_file, source_row, role, elder_id from linkage.elder_xref"
        )
    conn.commit()


def _ids_changed(conn) -> int | None:
    if not conn.execute("select to_regclass('linkage.bench_previous_ids')").fetchone()[0]:
        return None
    changed = conn.execute(
        """select count(*) from linkage.bench_previous_ids p
        left join linkage.elder_xref x using (source_file, source_row, role)
        where x.elder_id is distinct from p.elder_id"""
    ).fetchone()[0]
    conn.execute("drop table linkage.bench_previous_ids")
    conn.commit()
    return changed


def _link(work: Path, reference: str, mode: str, queue) -> None:
    from quality.linkage.evaluate import evaluate
    from quality.linkage.run import link
    from warehouse.connection import connect

    settings = start_store()
    with connect(settings) as conn:
        _keep_ids(conn)
    load = os.getloadavg()
    began = time.perf_counter()
    summary = link(settings, reference, mode)
    seconds = time.perf_counter() - began
    with connect(settings) as conn:
        figures = evaluate(conn, work / "truth")
        changed = _ids_changed(conn)
        golden = conn.execute(  # to compare a new month's golden records with a relink's
            "select md5(string_agg(md5(e::text), '' order by elder_id)) from linkage.elders e"
        ).fetchone()[0]
        events = conn.execute(
            "select count(*) from linkage.cluster_events where run_id = %s", (summary.run_id,)
        ).fetchone()[0]
    queue.put({"mode": summary.mode, "seconds": round(seconds, 1), "peak_rss_mb": peak_rss_mb(),
               "load_average_before": [round(x, 2) for x in load],
               "load_average_after": [round(x, 2) for x in os.getloadavg()],
               "records": summary.records, "new_records": summary.new_records,
               "profile_count": summary.profiles, "candidate_pairs": summary.candidate_pairs,
               "new_candidate_pairs": summary.new_candidate_pairs, "elders": summary.elders,
               "touched_elders": summary.touched_elders,
               "reshaped_elders": summary.reshaped_elders, "ids_changed": changed,
               "golden_md5": golden,
               "cluster_events": events, "review_queue": summary.review_queue,
               "steps": summary.seconds, "pairs_per_pass": summary.pairs_per_pass,
               **figures})  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--elders", type=int, default=100_000)
    parser.add_argument("--months", default="2024-10:2026-10")
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    args = parser.parse_args()
    first, last = args.months.split(":")
    work = RESULTS / f"linkage-{args.elders}"
    shutil.rmtree(work, ignore_errors=True)
    print(f"prepare: {in_child(_prepare, work, args.elders, (first, last))}", flush=True)
    year, month = (int(part) for part in last.split("-"))
    before = f"{year}-{month - 1:02d}-28" if month > 1 else f"{year - 1}-12-28"
    full = in_child(_link, work, before, "full")
    print(f"full linkage: {json.dumps(full)}", flush=True)
    in_child(_load_last_month, work)
    monthly = in_child(_link, work, f"{last}-28", "auto")
    print(f"after a new month: {json.dumps(monthly)}", flush=True)
    relinked = in_child(_link, work, f"{last}-28", "full")
    print(f"full relink of the same data: {json.dumps(relinked)}", flush=True)
    same = monthly["golden_md5"] == relinked["golden_md5"]
    print(f"golden records of the new month {'equal' if same else 'DIFFER FROM'} the relink's")
    report = {"elders": args.elders, "months": args.months, "full": full, "new_month": monthly,
              "full_relink": relinked}  # fmt: skip
    save_report(f"linkage-{args.elders}", report, work, args.keep)


if __name__ == "__main__":
    main()
