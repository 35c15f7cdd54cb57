"""Record linkage against the generator's truth: pairwise precision, recall and F1, pair
completeness, time and peak memory (issue "One elder database").

Feeds are generated and loaded first (not timed here; see bench/ingest.py), then linkage
runs in a child process of its own, so its peak RSS is its own. A second run adds the last
month to the rest, as a monthly delivery would. Usage:
    python bench/linkage.py --elders 100000 --months 2024-10:2026-10
"""

from __future__ import annotations

import argparse
import json
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


def _link(work: Path, reference: str, queue) -> None:
    from quality.linkage.evaluate import evaluate
    from quality.linkage.run import link
    from warehouse.connection import connect

    settings = start_store()
    began = time.perf_counter()
    summary = link(settings, reference)
    seconds = time.perf_counter() - began
    with connect(settings) as conn:
        figures = evaluate(conn, work / "truth")
    queue.put({"seconds": round(seconds, 1), "peak_rss_mb": peak_rss_mb(),
               "records": summary.records, "profile_count": summary.profiles,
               "candidate_pairs": summary.candidate_pairs, "elders": summary.elders,
               "review_queue": summary.review_queue, "steps": summary.seconds,
               "pairs_per_pass": summary.pairs_per_pass, **figures})  # fmt: skip


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
    full = in_child(_link, work, before)
    print(f"full linkage: {json.dumps(full)}", flush=True)
    in_child(_load_last_month, work)
    monthly = in_child(_link, work, f"{last}-28")
    print(f"after a new month: {json.dumps(monthly)}", flush=True)
    report = {"elders": args.elders, "months": args.months, "full": full, "new_month": monthly}
    save_report(f"linkage-{args.elders}", report, work, args.keep)


if __name__ == "__main__":
    main()
