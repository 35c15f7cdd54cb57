"""Latency and throughput of the operational API under 200 concurrent clients.

Starts its own embedded PostgreSQL in a temporary folder (never the developer's store),
migrates `ops`, bulk-loads N elders and M orders with generate_series SQL (not through the
API), serves the API with uvicorn on 127.0.0.1, and drives five scenarios one after another
with asyncio (a minimal keep-alive HTTP/1.1 client): elder lookup, order intake, dispatch,
check-in (start with the unique code) and "my orders". Prints p50/p95/p99 latency and
requests per second for each.

    .venv/bin/python bench/api_latency.py --elders 3200000 --orders 10000000   # the goal
    .venv/bin/python bench/api_latency.py --elders 100000 --orders 300000 --seconds 10
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from operational_api.config import SECRET_ENV  # noqa: E402
from operational_api.db import make_engine  # noqa: E402
from operational_api.migrate import upgrade  # noqa: E402
from operational_api.roles import Principal  # noqa: E402
from operational_api.security import hash_password, make_token  # noqa: E402
from operational_api.seed import load_catalogue, load_regions  # noqa: E402
from warehouse.bootstrap import ensure_store  # noqa: E402
from warehouse.connection import connect  # noqa: E402
from warehouse.server import EmbeddedServer  # noqa: E402
from warehouse.settings import CONFIG_ENV, DEFAULT_CONFIG, load_settings  # noqa: E402

POOL_PER_CLIENT = 150  # assigned orders per staff member for the check-in scenario


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def temporary_settings(folder: Path):
    data = yaml.safe_load(DEFAULT_CONFIG.read_text(encoding="utf-8"))
    data["state_dir"] = str(folder / "state")
    data["store"]["port"] = free_port()
    data["api"]["port"] = free_port()
    path = folder / "warehouse.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    os.environ[CONFIG_ENV] = str(path)
    return load_settings(path)


def timed(label: str, sql: str, conn, params=None) -> None:
    started = time.perf_counter()
    conn.execute(sql, params)
    print(f"  {label}: {time.perf_counter() - started:.1f} s", flush=True)


def bulk_load(settings, elders: int, orders: int, clients: int) -> dict:
    """Base data through the seed functions, volume through generate_series as the owner."""
    engine = make_engine(settings, pool_size=1)
    with engine.begin() as conn:
        load_regions(conn, landing=None)
        load_catalogue(conn, now=datetime.now(UTC))
    engine.dispose()
    with connect(settings, "pipeline") as conn:  # the elder database is the pipeline's
        timed(
            f"{elders:,} elders",
            "insert into linkage.elders (elder_id, id_number, name, sex, birth_date, phone,"
            " district_code, street_code, community_code, address, is_eligible)"
            " select g, '9' || lpad(g::text, 17, '0'), '老人' || g, 1 + g %% 2,"
            " date '1930-01-01' + (g %% 11000), '138' || lpad((g %% 100000000)::text, 8, '0'),"
            " substr(c.code, 1, 6), substr(c.code, 1, 9) || '000', c.code, '天津市',"
            " true from generate_series(1, %(n)s) g join (select row_number() over (order by"
            " code) - 1 i, code from ops.regions where level = 'community') c"
            " on c.i = g %% (select count(*) from ops.regions where level = 'community')",
            conn,
            {"n": elders},
        )
        conn.execute("select setval('linkage.elder_id_seq', %s)", (elders,))
        conn.commit()
    with connect(settings, "migrator") as conn:
        conn.execute("set synchronous_commit = off")
        conn.execute("create temp table comm as select row_number() over (order by code) - 1 i,"
                     " code from ops.regions where level = 'community'")  # fmt: skip
        conn.execute("create temp table street as select row_number() over (order by code) id,"
                     " code from ops.regions where level = 'street'")  # fmt: skip
        n_comm = conn.execute("select count(*) from comm").fetchone()[0]
        n_orgs = conn.execute("select count(*) from street").fetchone()[0]
        timed(
            "organisations",
            "insert into ops.organisations (id, name, district_code,"
            " is_online, grab_enabled, rating, created_at) select id, 'bench-' || code,"
            " substr(code, 1, 6) || '000000', true, false, 3 + (id % 20) / 10.0, now()"
            " from street; insert into ops.organisation_streets select id, code from street;"
            " insert into ops.qualifications (organisation_id, item_id, status, applied_at)"
            " select s.id, i.id, 'approved', now() from street s cross join"
            " ops.service_items i; select setval('ops.organisations_id_seq', 1000)",
            conn,
        )
        hashed = hash_password(secrets.token_urlsafe(12))
        conn.execute(
            "insert into ops.users (id, username, password_hash, role, display_name, phone,"
            " organisation_id, created_at) select 10000 + k, 'bench-staff-' || k, %s, 'staff',"
            " 'staff ' || k, '139' || lpad(k::text, 8, '0'), 1 + k %% %s, now()"
            " from generate_series(0, %s - 1) k", (hashed, n_orgs, clients))  # fmt: skip
        conn.execute(
            "insert into ops.users (id, username, password_hash, role, display_name, created_at)"
            " values (1, 'bench-operator', %s, 'operator', 'op', now()),"
            " (2, 'bench-dispatcher', %s, 'dispatcher', 'disp', now())",
            (hashed, hashed),
        )
        conn.execute("insert into ops.staff_skills select u.id, i.id from ops.users u cross join"
                     " ops.service_items i where u.role = 'staff'")  # fmt: skip
        order_sql = (
            "insert into ops.orders (kind, state, channel, elder_id, district_code, street_code,"
            " community_code, item_id, description, organisation_id, staff_id, unique_code,"
            " match, due_at, dispatch_count, hours, satisfaction, created_at, {stamps},"
            " updated_at) select 'service', %(state)s, 'call_centre', e, substr(c.code, 1, 6) ||"
            " '000000', substr(c.code, 1, 9) || '000', c.code, 2, '请上门打扫卫生，清洁厨房',"
            ' s.id, {staff}, %(prefix)s || g, \'{{"rule": "bulk"}}\', {due}, 1, {hours},'
            " {rating}, t, {stamp_values}, t from (select g, 1 + (g * 7919::bigint) %% %(n)s e,"
            " {created} t from generate_series(1, %(m)s) g) o join comm c on c.i = o.e %% %(nc)s"
            " join street s on s.code = substr(c.code, 1, 9) || '000'"
        )
        history = order_sql.format(
            stamps="dispatched_at, started_at, returned_at, closed_at",
            staff=f"10000 + (s.id - 1) + {n_orgs} * mod(g, greatest(1, {clients} / {n_orgs}))",
            due="t + interval '1 day'", hours="2", rating="1 + mod(g, 5)",
            stamp_values="t + interval '1 hour', t + interval '5 hours', t + interval '7 hours',"
            " t + interval '3 days'",
            created="now() - mod(g, 1051200) * interval '1 minute'",
        )  # fmt: skip
        timed(
            f"{orders:,} orders",
            history,
            conn,
            {"state": "closed", "prefix": "H", "n": elders, "m": orders, "nc": n_comm},
        )
        conn.commit()
    return {"n_orgs": n_orgs, "n_comm": n_comm, "order_sql": order_sql}


def make_pools(settings, loaded: dict, elders: int, clients: int, dispatches: int) -> dict:
    """Reviewed orders (with agreements) to dispatch; assigned orders for each staff to start."""
    n_orgs, n_comm, order_sql = loaded["n_orgs"], loaded["n_comm"], loaded["order_sql"]
    with connect(settings, "migrator") as conn:
        conn.execute("create temp table comm as select row_number() over (order by code) - 1 i,"
                     " code from ops.regions where level = 'community'")  # fmt: skip
        conn.execute("create temp table street as select row_number() over (order by code) id,"
                     " code from ops.regions where level = 'street'")  # fmt: skip
        common = {"stamps": "reviewed_at", "due": "now() + interval '7 days'", "hours": "null",
                  "rating": "null", "stamp_values": "t", "created": "now()"}  # fmt: skip
        reviewed = order_sql.format(staff="null", **common)
        conn.execute(reviewed, {"state": "reviewed", "prefix": "R", "n": elders,
                                "m": dispatches, "nc": n_comm})  # fmt: skip
        conn.execute("insert into ops.agreements (elder_id, organisation_id, signed_at) select"
                     " distinct elder_id, organisation_id, now() from ops.orders where state ="
                     " 'reviewed' on conflict do nothing")  # fmt: skip
        per_staff = clients * POOL_PER_CLIENT
        assigned = order_sql.format(
            staff=f"10000 + (s.id - 1) + {n_orgs} * mod(g, greatest(1, {clients} / {n_orgs}))",
            **{**common, "stamps": "assigned_at"},
        )
        conn.execute(assigned, {"state": "assigned", "prefix": "A", "n": elders,
                                "m": per_staff, "nc": n_comm})  # fmt: skip
        rows = conn.execute("select id, staff_id, unique_code from ops.orders where state ="
                            " 'assigned' and unique_code like 'A%'").fetchall()  # fmt: skip
        to_dispatch = [r[0] for r in conn.execute(
            "select id from ops.orders where state = 'reviewed'").fetchall()]  # fmt: skip
        conn.commit()
        conn.execute("analyze")
    starts: dict[int, list] = {}
    for order_id, staff_id, code in rows:
        starts.setdefault(staff_id, []).append((order_id, code))
    staff_ids = sorted(starts)[:clients]
    return {"dispatch": to_dispatch, "starts": starts, "staff": staff_ids}


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] * 1000


class Connection:
    """A minimal HTTP/1.1 keep-alive client on asyncio streams: httpx's own cost per request
    is of the order of the server's, and on a 2-CPU machine it would share the CPUs the
    server is measured on."""

    def __init__(self, host: str, port: int):
        self.host, self.port, self.reader, self.writer = host, port, None, None

    async def request(self, method: str, path: str, headers: dict, body) -> int:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        payload = json.dumps(body).encode() if body is not None else b""
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}",
                 f"Content-Length: {len(payload)}", "Content-Type: application/json",
                 *(f"{k}: {v}" for k, v in headers.items())]  # fmt: skip
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + payload)
        status = int((await self.reader.readline()).split()[1])
        length = 0
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            if name.lower() == "content-length":
                length = int(value)
        await self.reader.readexactly(length)
        return status


async def drive(host: str, port: int, name: str, clients: int, seconds: float, request) -> dict:
    """`clients` concurrent connections issuing `request(client)` for `seconds`."""
    latencies, failures = [], {}
    deadline = time.perf_counter() + seconds

    async def loop(i: int):
        connection = Connection(host, port)
        while time.perf_counter() < deadline:
            method, path, headers, body = request(i)
            if path is None:
                return
            started = time.perf_counter()
            status = await connection.request(method, path, headers, body)
            latencies.append(time.perf_counter() - started)
            if status >= 300:
                failures[status] = failures.get(status, 0) + 1
        connection.writer.close()

    began = time.perf_counter()
    await asyncio.gather(*(loop(i) for i in range(clients)))
    elapsed = time.perf_counter() - began
    return {"scenario": name, "requests": len(latencies), "rps": len(latencies) / elapsed,
            "p50": percentile(latencies, 50), "p95": percentile(latencies, 95),
            "p99": percentile(latencies, 99), "failures": failures}  # fmt: skip


def scenarios(settings, pools: dict, elders: int, clients: int, item_id: int):
    secret = os.environ[SECRET_ENV]

    def bearer(principal: Principal) -> dict:
        token = make_token(claims=principal.claims(), secret=secret, minutes=60)
        return {"Authorization": f"Bearer {token}"}

    operator = bearer(Principal(user_id=1, role="operator"))
    dispatcher = bearer(Principal(user_id=2, role="dispatcher"))
    with connect(settings, "migrator") as conn:
        orgs = dict(conn.execute("select id, organisation_id from ops.users where role = 'staff'"))
    staff = [bearer(Principal(user_id=s, role="staff", organisation_id=orgs[s]))
             for s in pools["staff"]]  # fmt: skip
    rng = random.Random(1)
    dispatch_pool, starts = (
        list(pools["dispatch"]),
        {s: list(v) for s, v in pools["starts"].items()},
    )

    def lookup(i):
        number = "9" + str(rng.randint(1, elders)).rjust(17, "0")
        return "GET", f"/elders?id_number={number}", operator, None

    def intake(i):
        body = {"elder_id": rng.randint(1, elders), "kind": "service", "channel": "call_centre",
                "item_id": item_id, "description": "请上门打扫卫生，清洁厨房和卫生间"}  # fmt: skip
        return "POST", "/orders", operator, body

    def dispatch(i):
        if not dispatch_pool:
            return None, None, None, None
        return "POST", f"/orders/{dispatch_pool.pop()}/dispatch", dispatcher, None

    def check_in(i):
        mine = starts.get(pools["staff"][i % len(pools["staff"])])
        if not mine:
            return None, None, None, None
        order_id, code = mine.pop()
        return "POST", f"/orders/{order_id}/start", staff[i % len(staff)], {"code": code}

    def my_orders(i):
        return "GET", "/orders?limit=20", staff[i % len(staff)], None

    return [("elder lookup", lookup), ("order intake", intake), ("dispatch", dispatch),
            ("check-in", check_in), ("my orders", my_orders)]  # fmt: skip


def probe(base: str, plan) -> None:
    """Sequential latency of one client, to tell server cost from queueing under load."""
    with httpx.Client(base_url=base, timeout=30) as http:
        for name, request in plan[:1] + plan[-1:]:
            started = time.perf_counter()
            for i in range(100):
                method, path, headers, body = request(i)
                http.request(method, path, headers=headers, json=body).raise_for_status()
            each = (time.perf_counter() - started) * 10
            print(f"one client, {name}: {each:.1f} ms a request", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--elders", type=int, default=100_000)
    parser.add_argument("--orders", type=int, default=300_000)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--dispatch-pool", type=int, default=40_000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="eldercare-bench-"))
    folder.chmod(0o755)
    os.environ[SECRET_ENV] = secrets.token_urlsafe(48)
    settings = temporary_settings(folder)
    server = EmbeddedServer(settings)
    api = None
    try:
        server.start()
        ensure_store(settings)
        upgrade(settings)
        print(f"loading {args.elders:,} elders and {args.orders:,} orders", flush=True)
        loaded = bulk_load(settings, args.elders, args.orders, args.clients)
        pools = make_pools(settings, loaded, args.elders, args.clients, args.dispatch_pool)
        with connect(settings, "migrator") as conn:
            item_id = conn.execute("select id from ops.service_items where name = '居家保洁'"
                                   ).fetchone()[0]  # fmt: skip
        port = settings.api.port
        api = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "operational_api.asgi:app", "--host", "127.0.0.1",
             "--port", str(port), "--workers", str(args.workers), "--no-access-log",
             "--log-level", "warning"], cwd=ROOT, env=os.environ.copy(),
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        for _ in range(120):
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        probe(base, scenarios(settings, pools, args.elders, args.clients, item_id))
        print(f"{args.clients} concurrent clients, {args.seconds:.0f} s per scenario,"
              f" {args.workers} uvicorn workers, {os.cpu_count()} CPUs")  # fmt: skip
        print(f"{'scenario':<14}{'requests':>10}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}"
              f"{'p99 ms':>9}{'load 1m':>9}  failures")  # fmt: skip
        for name, request in scenarios(settings, pools, args.elders, args.clients, item_id):
            r = asyncio.run(drive("127.0.0.1", port, name, args.clients, args.seconds, request))
            print(
                f"{name:<14}{r['requests']:>10}{r['rps']:>9.0f}{r['p50']:>9.1f}{r['p95']:>9.1f}"
                f"{r['p99']:>9.1f}{os.getloadavg()[0]:>9.1f}  {r['failures'] or '-'}",
                flush=True,
            )
    finally:
        if api:
            api.terminate()
            api.wait(timeout=30)
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
