"""Generator and ingest throughput and peak memory (issue "Feeds in").

Each phase runs in a child process so its peak RSS is its own. Usage:
    python bench/ingest.py --elders 100000 --months 2024-10:2026-10
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.store import RESULTS, in_child, peak_rss_mb, save_report, start_store


def _generate(landing: Path, truth: Path, elders: int, months: tuple[str, str], queue) -> None:
    from ingestion.generator import generate

    summary = generate(landing, truth, elders=elders, months=months, seed=1)
    queue.put({"rows": summary.total_rows, "seconds": summary.elapsed_seconds,
               "peak_rss_mb": peak_rss_mb()})  # fmt: skip


def _ingest(landing: Path, queue) -> None:
    from ingestion.feeds import FEEDS, load_regions, load_source
    from ingestion.loader import ensure_tables
    from warehouse.connection import connect

    settings = start_store()
    with connect(settings) as conn:
        for module in FEEDS.values():
            ensure_tables(conn, module)
        conn.execute("truncate raw.load_log cascade")
        conn.commit()
        started = time.perf_counter()
        load_regions(conn, landing)
        per_source = {}
        for source in FEEDS:
            began = time.perf_counter()
            results = load_source(conn, settings, source, landing)
            per_source[source] = {
                "files": len(results),
                "rows": sum(r.delivered for r in results),
                "seconds": round(time.perf_counter() - began, 2),
                # summed over files (two at a time): read + COPY to the stage; SQL clean + insert
                "staging_seconds": round(sum(r.seconds[0] for r in results), 2),
                "cleaning_seconds": round(sum(r.seconds[1] for r in results), 2),
                "load_average": os.getloadavg(),
            }
        seconds = time.perf_counter() - started
    queue.put({"rows": sum(s["rows"] for s in per_source.values()), "seconds": seconds,
               "per_source": per_source, "peak_rss_mb": peak_rss_mb(),
               "load_average": os.getloadavg()})  # fmt: skip


def _measured(target, *args) -> dict:
    figures = in_child(target, *args)
    figures["rows_per_second"] = round(figures["rows"] / figures["seconds"])
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--elders", type=int, default=100_000)
    parser.add_argument("--months", default="2024-10:2026-10")
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    args = parser.parse_args()
    months = tuple(args.months.split(":"))
    work = RESULTS / f"feeds-{args.elders}"
    shutil.rmtree(work, ignore_errors=True)
    generated = _measured(_generate, work / "landing", work / "truth", args.elders, months)
    print(f"generator: {generated}", flush=True)
    ingested = _measured(_ingest, work / "landing")
    print(f"ingest: {ingested}", flush=True)
    report = {"elders": args.elders, "months": args.months, "generator": generated,
              "ingest": ingested}  # fmt: skip
    save_report(f"ingest-{args.elders}", report, work, args.keep)


if __name__ == "__main__":
    main()
