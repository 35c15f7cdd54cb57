"""What benchmarks share: their own PostgreSQL cluster (through the same code as `eldercare db
start`), and running each phase in a child process to measure its own peak memory."""

from __future__ import annotations

import json
import multiprocessing
import os
import resource
import shutil
from pathlib import Path
from queue import Empty

import yaml

from warehouse.bootstrap import ensure_store
from warehouse.server import EmbeddedServer
from warehouse.settings import CONFIG_ENV, DEFAULT_CONFIG, Settings, load_settings

RESULTS = Path(__file__).parent / "results"
BENCH_PORT = int(os.environ.get("ELDERCARE_BENCH_PORT", "54339"))  # another bench may hold it


def bench_settings() -> Settings:
    """Settings for bench/results/state on its own port; exported through ELDERCARE_CONFIG."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    data = yaml.safe_load(DEFAULT_CONFIG.read_text(encoding="utf-8"))
    data["state_dir"] = str(RESULTS / "state")
    data["dbt_project_dir"] = str(DEFAULT_CONFIG.parent / "dbt_project")
    data["store"]["port"] = BENCH_PORT
    # the developer's Superset venv (installed once by `make run`), on a port of its own
    data["superset"]["venv"] = str(DEFAULT_CONFIG.parent / data["superset"]["venv"])
    data["superset"]["port"] = BENCH_PORT + 1000
    path = RESULTS / "warehouse.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    os.environ[CONFIG_ENV] = str(path)
    return load_settings(path)


def start_store() -> Settings:
    settings = bench_settings()
    EmbeddedServer(settings).start()
    ensure_store(settings)
    return settings


def empty_raw_and_linkage(conn) -> None:
    """Start the bench store over: no deliveries loaded, no linkage tables."""
    from ingestion.feeds import FEEDS
    from ingestion.loader import ensure_tables

    for module in FEEDS.values():
        ensure_tables(conn, module)
    conn.execute("truncate raw.load_log cascade")
    tables = conn.execute("select tablename from pg_tables where schemaname = 'linkage'")
    for (table,) in tables.fetchall():
        conn.execute(f"drop table linkage.{table} cascade")
    conn.execute("drop sequence if exists linkage.elder_id_seq")
    conn.commit()


def peak_rss_mb() -> int:
    """This process's peak resident memory, in MB."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def in_child(target, *args) -> dict:
    """Run one phase in its own process (so its peak memory is its own); return its figures.

    `target(*args, queue)` puts a dict of figures on the queue.
    """
    queue = multiprocessing.Queue()
    process = multiprocessing.Process(target=target, args=(*args, queue))
    process.start()
    while True:  # a child that dies puts nothing on the queue: say so instead of waiting
        try:
            figures = queue.get(timeout=5)
            break
        except Empty:
            if not process.is_alive():
                raise RuntimeError(f"{target.__name__} failed (exit {process.exitcode})") from None
    process.join()
    return figures


def save_report(name: str, report: dict, work: Path, keep: bool) -> Path:
    """Write bench/results/<name>.json and drop the generated files unless asked to keep them."""
    out = RESULTS / f"{name}.json"
    out.write_text(json.dumps(report, indent=2))
    print(f"written to {out}")
    if not keep:
        shutil.rmtree(work, ignore_errors=True)
    return out
