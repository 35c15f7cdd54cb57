"""Device-event ingestion under bursts (issue 7: 2,000 events/s sustained, p95 acceptance
≤ 50 ms): concurrent devices posting to uvicorn, one event per request and in batches.

Starts its own PostgreSQL in a temporary folder on free ports (never the developer's store,
nor the fixed bench port others may be using), migrates `ops`, bulk-loads elders, registers
devices through the service layer (each with its own key), serves the API with uvicorn and
drives it from a child process with a minimal keep-alive HTTP client. Alarms are a small share
(--alarm-share) since each opens a ticket, an audited write. Prints and saves events/s and
p50/p95/p99 acceptance latency (request sent to response read) for each scenario.

    .venv/bin/python bench/device_events.py --clients 64 --seconds 20
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.api_latency import Connection, percentile, temporary_settings  # noqa: E402
from bench.store import RESULTS, in_child, peak_rss_mb, save_report  # noqa: E402
from operational_api.config import SECRET_ENV  # noqa: E402
from operational_api.db import make_engine  # noqa: E402
from operational_api.devices import service as devices  # noqa: E402
from operational_api.migrate import upgrade  # noqa: E402
from operational_api.seed import load_catalogue, load_regions  # noqa: E402
from warehouse.bootstrap import ensure_store  # noqa: E402
from warehouse.connection import connect  # noqa: E402
from warehouse.server import EmbeddedServer  # noqa: E402

KINDS = ("watch", "fall_detector", "door_sensor")


def prepare(settings, elders: int, device_count: int) -> list[tuple[int, str, str]]:
    """Elders in bulk, devices through the service layer: (id, key, kind) of each device."""
    engine = make_engine(settings, pool_size=1)
    with engine.begin() as conn:
        load_regions(conn, landing=None)
        load_catalogue(conn, now=datetime.now(UTC))
    with connect(settings, "pipeline") as conn:  # the elder database is the pipeline's
        conn.execute(
            "insert into linkage.elders (elder_id, id_number, name, district_code, street_code,"
            " community_code, address, is_eligible) select nextval('linkage.elder_id_seq'),"
            " '9' || lpad(g::text, 17, '0'), '老人' || g, substr(c.code, 1, 6),"
            " substr(c.code, 1, 9) || '000', c.code, '天津市', true"
            " from generate_series(1, %s) g join (select row_number() over (order by code) - 1 i,"
            " code from ops.regions where level = 'community') c on c.i = g %% 100",
            (elders,),
        )
        conn.commit()
    made = []
    with engine.begin() as conn:
        ids = conn.exec_driver_sql("select elder_id from ops.elders").scalars().all()
        for n in range(device_count):
            kind = KINDS[n % len(KINDS)]
            device = devices.register(conn, user=None, now=datetime.now(UTC), kind=kind,
                                      serial_no=f"BENCH-{n}", elder_id=ids[n % len(ids)],
                                      install_address="天津市")  # fmt: skip
            made.append((device["id"], device["key"], kind))
    engine.dispose()
    return made


def _event(rng: random.Random, kind: str, alarm_share: float) -> dict:
    at = datetime.now(UTC).isoformat()
    if rng.random() < alarm_share:
        return {"kind": "fall" if kind != "door_sensor" else "no_activity", "at": at,
                "hours": 48}  # fmt: skip
    if kind == "watch":
        return {"kind": "location", "at": at, "latitude": 39.1, "longitude": 117.2,
                "battery": 80}  # fmt: skip
    return {"kind": "heartbeat", "at": at, "battery": 80}


async def _drive(port: int, made, clients: int, seconds: float, batch: int, alarm_share: float):
    rng = random.Random(7)
    latencies, failures, accepted = [], {}, [0]
    deadline = time.perf_counter() + seconds

    async def loop(i: int):
        connection = Connection("127.0.0.1", port)
        mine = made[i::clients]
        n = 0
        while time.perf_counter() < deadline:
            device_id, key, kind = mine[n % len(mine)]
            n += 1
            headers = {"X-Device-Id": str(device_id), "X-Device-Key": key}
            if batch > 1:
                body = {"events": [_event(rng, kind, alarm_share) for _ in range(batch)]}
                path = "/devices/events:batch"
            else:
                body, path = _event(rng, kind, alarm_share), "/devices/events"
            started = time.perf_counter()
            status = await connection.request("POST", path, headers, body)
            latencies.append(time.perf_counter() - started)
            if status == 201:
                accepted[0] += batch
            else:
                failures[status] = failures.get(status, 0) + 1
        connection.writer.close()

    began = time.perf_counter()
    await asyncio.gather(*(loop(i) for i in range(clients)))
    elapsed = time.perf_counter() - began
    ms = {f"p{p}_ms": round(percentile(latencies, p), 1) for p in (50, 95, 99)}
    return {"requests": len(latencies), "events": accepted[0], "seconds": round(elapsed, 1),
            "events_per_s": round(accepted[0] / elapsed), **ms, "failures": failures}  # fmt: skip


def _scenario(port, made, clients, seconds, batch, alarm_share, queue) -> None:
    figures = asyncio.run(_drive(port, made, clients, seconds, batch, alarm_share))
    queue.put({**figures, "driver_peak_rss_mb": peak_rss_mb()})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--elders", type=int, default=20_000)
    parser.add_argument("--devices", type=int, default=2_000)
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batch", type=int, default=50, help="events per batch request")
    parser.add_argument("--alarm-share", type=float, default=0.001)
    parser.add_argument("--only", choices=("single", "batch"), help="run one scenario")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="eldercare-bench-devices-"))
    folder.chmod(0o755)
    os.environ[SECRET_ENV] = secrets.token_urlsafe(48)
    settings = temporary_settings(folder)
    server, api = EmbeddedServer(settings), None
    report = {"clients": args.clients, "workers": args.workers, "cpus": os.cpu_count(),
              "devices": args.devices, "alarm_share": args.alarm_share,
              "load_average_before": os.getloadavg(), "scenarios": {}}  # fmt: skip
    try:
        server.start()
        ensure_store(settings)
        upgrade(settings)
        made = prepare(settings, args.elders, args.devices)
        port = settings.api.port
        api = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "operational_api.asgi:app", "--host", "127.0.0.1",
             "--port", str(port), "--workers", str(args.workers), "--no-access-log",
             "--log-level", "warning"], cwd=ROOT, env=os.environ.copy(),
        )  # fmt: skip
        for _ in range(120):
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        print(f"{args.clients} devices posting at once for {args.seconds:.0f} s per scenario,"
              f" {args.workers} uvicorn workers, {os.cpu_count()} CPUs shared with the driver"
              f" and PostgreSQL; load average before: {os.getloadavg()[0]:.1f}")  # fmt: skip
        print(f"{'scenario':<22}{'events':>9}{'events/s':>10}{'p50 ms':>8}{'p95 ms':>8}"
              f"{'p99 ms':>8}{'load 1m':>9}  failures")  # fmt: skip
        plan = [("one event a request", 1), (f"batches of {args.batch}", args.batch)]
        plan = [p for p in plan if args.only != ("batch" if p[1] == 1 else "single")]
        for name, batch in plan:
            r = in_child(_scenario, port, made, args.clients, args.seconds, batch,
                         args.alarm_share)  # fmt: skip
            report["scenarios"][name] = r | {"load_average_after": os.getloadavg()}
            print(f"{name:<22}{r['events']:>9}{r['events_per_s']:>10}{r['p50_ms']:>8}"
                  f"{r['p95_ms']:>8}{r['p99_ms']:>8}{os.getloadavg()[0]:>9.1f}"
                  f"  {r['failures'] or '-'}")  # fmt: skip
        with connect(settings, "migrator") as conn:
            stored = conn.execute("select count(*), count(*) filter (where is_alarm)"
                                  " from ops.device_events").fetchone()  # fmt: skip
            tickets = conn.execute("select count(*) from ops.call_tickets").fetchone()[0]
        report["stored"] = {"events": stored[0], "alarms": stored[1], "tickets": tickets}
        print(f"stored: {stored[0]} events, {stored[1]} alarms, {tickets} tickets")
    finally:
        if api:
            api.terminate()
            api.wait(timeout=30)
        server.stop()
    RESULTS.mkdir(parents=True, exist_ok=True)
    save_report("device_events", report, folder, keep=False)
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
