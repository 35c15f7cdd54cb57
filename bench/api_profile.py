"""Where the operational API spends its CPU per request, for the five scenarios of
api_latency.py: the app in this process (no HTTP server, no sockets), one request at a time.

Prints, per scenario, the process CPU time per request with the real threadpool, then a
cProfile (CPU time) of the same requests with sync work run inline (cProfile sees one thread), so
the top functions add up to the whole request. Its own store, as api_latency.py.

    .venv/bin/python bench/api_profile.py --requests 500 --top 25
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import os
import pstats
import secrets
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.api_latency import bulk_load, make_pools, scenarios, temporary_settings  # noqa: E402
from operational_api.config import SECRET_ENV  # noqa: E402
from operational_api.main import create_app  # noqa: E402
from operational_api.migrate import upgrade  # noqa: E402
from warehouse.bootstrap import ensure_store  # noqa: E402
from warehouse.connection import connect  # noqa: E402
from warehouse.server import EmbeddedServer  # noqa: E402


async def _call(app, method: str, target: str, headers: dict, body) -> tuple[int, bytes]:
    """One request straight into the ASGI app: no client library, so only the app is timed."""
    path, _, query = target.partition("?")
    payload = json.dumps(body).encode() if body is not None else b""
    raw = [(k.lower().encode(), v.encode()) for k, v in headers.items()]
    raw += [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode())]
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
             "method": method, "scheme": "http", "path": path, "raw_path": path.encode(),
             "query_string": query.encode(), "root_path": "", "headers": raw,
             "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80)}  # fmt: skip
    sent, out = False, {"status": 0, "body": b""}

    async def receive():
        nonlocal sent
        if sent:
            await asyncio.sleep(3600)
        sent = True
        return {"type": "http.request", "body": payload, "more_body": False}

    async def send(message):
        if message["type"] == "http.response.start":
            out["status"] = message["status"]
        elif message["type"] == "http.response.body":
            out["body"] += message.get("body", b"")

    await app(scope, receive, send)
    return out["status"], out["body"]


async def _run(app, request, n: int) -> None:
    for i in range(n):
        method, path, headers, body = request(i)
        if path is None:
            return
        status, content = await _call(app, method, path, headers, body)
        assert status < 300, content


def _inline() -> None:
    """Run sync endpoints and dependencies in the calling thread, for cProfile."""
    import fastapi.concurrency
    import fastapi.dependencies.utils
    import fastapi.routing
    import starlette.concurrency

    async def direct(func, *args, **kwargs):
        return func(*args, **kwargs)

    for module in (starlette.concurrency, fastapi.concurrency, fastapi.routing,
                   fastapi.dependencies.utils):  # fmt: skip
        if hasattr(module, "run_in_threadpool"):
            module.run_in_threadpool = direct


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--elders", type=int, default=20_000)
    parser.add_argument("--orders", type=int, default=60_000)
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--save", help="a folder to write each scenario's profile to")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="eldercare-profile-"))
    folder.chmod(0o755)
    os.environ[SECRET_ENV] = secrets.token_urlsafe(48)
    settings = temporary_settings(folder)
    server = EmbeddedServer(settings)
    try:
        server.start()
        ensure_store(settings)
        upgrade(settings)
        loaded = bulk_load(settings, args.elders, args.orders, 200)
        pools = make_pools(settings, loaded, args.elders, 200, 4 * args.requests)
        with connect(settings, "migrator") as conn:
            item_id = conn.execute("select id from ops.service_items where name = '居家保洁'"
                                   ).fetchone()[0]  # fmt: skip
        app = create_app(settings, sweep_seconds=None)
        plan = scenarios(settings, pools, args.elders, 200, item_id)
        for name, request in plan:  # warm up, then CPU per request with the real threadpool
            asyncio.run(_run(app, request, 20))
            cpu, wall = time.process_time(), time.perf_counter()
            asyncio.run(_run(app, request, args.requests))
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            print(f"{name:<14} CPU {cpu / args.requests * 1000:.2f} ms a request,"
                  f" wall {wall / args.requests * 1000:.2f} ms", flush=True)  # fmt: skip
        _inline()
        for name, request in plan:  # the same closures: they go on with fresh orders
            profile = cProfile.Profile(time.thread_time)  # CPU, not waits on the store
            profile.enable()
            asyncio.run(_run(app, request, args.requests))
            profile.disable()
            print(f"\n=== {name}: top {args.top} by own time ===")
            pstats.Stats(profile).sort_stats("tottime").print_stats(args.top)
            if args.save:
                profile.dump_stats(Path(args.save) / f"{name.replace(' ', '_')}.prof")
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
