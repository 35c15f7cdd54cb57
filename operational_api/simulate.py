"""`eldercare ops simulate`: organisations, staff and about two years of orders, written
through the same service functions as the API (so invariants and the audit chain hold), each
call given the simulated moment as `now`."""

from __future__ import annotations

import os
import random
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import text

from operational_api.audit.sealer import seal_all
from operational_api.auth import service as accounts
from operational_api.db import make_engine
from operational_api.organisations import service as organisations
from operational_api.roles import Principal
from operational_api.security import hash_password
from operational_api.seed import load_catalogue, load_regions
from operational_api.simulate_monitoring import simulate_monitoring
from operational_api.simulate_orders import simulate_orders
from warehouse.settings import Settings


@dataclass
class Cast:
    """Who acts in the simulation, as principals the services accept."""

    operators: list[Principal] = field(default_factory=list)
    dispatchers: list[Principal] = field(default_factory=list)
    supervisors: dict[str, Principal] = field(default_factory=dict)  # district -> supervisor
    org_admins: dict[int, Principal] = field(default_factory=dict)
    staff: dict[int, list[Principal]] = field(default_factory=dict)
    org_items: dict[int, list[int]] = field(default_factory=dict)
    grab: dict[int, bool] = field(default_factory=dict)
    credentials: list[str] = field(default_factory=list)
    hashed: str | None = None  # argon2 hash of the one simulated password
    run: str = field(default_factory=lambda: secrets.token_hex(3))  # names this run's accounts


def _account(conn, cast: Cast, now: datetime, password: str, role: str, **fields) -> Principal:
    # a serial within the run, so the run's own names can never meet
    serial = len(cast.credentials) + 1
    username = fields.pop("username", None) or f"sim-{role}-{cast.run}-{serial}"
    made = accounts.create_user(conn, actor=None, now=now, username=username, password=password,
                                role=role, display_name=username, password_hash=cast.hashed,
                                **fields)  # fmt: skip
    cast.credentials.append(f"{role}\t{username}")
    return Principal(user_id=made["id"], role=role, organisation_id=made["organisation_id"],
                     elder_id=made["elder_id"], scope_level=made["scope_level"],
                     scope_code=made["scope_code"])  # fmt: skip


def _free_phone(conn, rng) -> str:
    """A mobile number no account signs in with yet (staff sign in by phone): a second
    simulation from the same seed draws the same numbers as the first."""
    while True:
        phone = f"139{rng.randint(0, 99_999_999):08d}"
        taken = conn.execute(text("select 1 from ops.users where username = :p"), {"p": phone})
        if taken.first() is None:
            return phone


def _organisations(conn, cast: Cast, start: datetime, items: list[int], rng, password) -> None:
    streets = conn.execute(text("select code from ops.regions where level = 'street'")).scalars()
    by_district: dict[str, list[str]] = {}
    for code in streets:
        by_district.setdefault(code[:6], []).append(code)
    for district, codes in sorted(by_district.items()):
        cast.supervisors[district] = _account(
            conn,
            cast,
            start,
            password,
            "supervisor",
            scope_level="district",
            scope_code=district + "000000",
        )
        for n in range(max(2, len(codes) // 4)):
            values = {"name": f"{district}-居家养老服务中心-{n + 1}-{secrets.token_hex(2)}",
                      "district_code": district + "000000", "phone": "022-2345678"}  # fmt: skip
            # the first organisation of a district covers all of it, so requests find one
            share = 1 if n == 0 else rng.uniform(0.5, 1)
            serves = rng.sample(codes, k=max(1, round(len(codes) * share)))
            org = organisations.create(conn, user=None, values=values, streets=serves, now=start)
            grab = rng.random() < 0.5
            organisations.change(
                conn,
                user=None,
                organisation_id=org["id"],
                now=start,
                changes={"is_online": n == 0 or rng.random() < 0.9, "grab_enabled": grab},
            )
            offered = items if n == 0 else rng.sample(items, k=max(2, round(len(items) * 0.7)))
            for item in offered:
                q = organisations.apply(conn, user=None, organisation_id=org["id"], item_id=item,
                                        now=start)  # fmt: skip
                organisations.decide(
                    conn,
                    user=cast.supervisors[district],
                    note="资质审核通过",
                    qualification_id=q["id"],
                    approve=True,
                    now=start,
                )
            cast.org_items[org["id"]], cast.grab[org["id"]] = offered, grab
            cast.org_admins[org["id"]] = _account(conn, cast, start, password, "org_admin",
                                                  organisation_id=org["id"])  # fmt: skip
            cast.staff[org["id"]] = []
            for _ in range(rng.randint(2, 5)):
                phone = _free_phone(conn, rng)
                member = _account(conn, cast, start, password, "staff", username=phone,
                                  phone=phone, organisation_id=org["id"])  # fmt: skip
                conn.execute(text("insert into ops.staff_skills select :u, unnest(:i)"),
                             {"u": member.user_id, "i": offered})  # fmt: skip
                cast.staff[org["id"]].append(member)


class EmptyElderDatabase(RuntimeError):
    """There is nobody to simulate services for yet."""


def _elders(conn, count: int) -> list:
    """Up to `count` elders the elder database counts, the same ones every time."""
    people = conn.execute(
        text(
            "select elder_id, district_code, community_code from ops.elders"
            " where is_eligible and community_code is not null"
            " order by md5(elder_id::text) limit :count"
        ),
        {"count": count},
    ).all()
    if not people:
        raise EmptyElderDatabase(
            "the elder database (ops.elders over linkage.elders) is empty: run the pipeline"
            " first (`eldercare run`), which loads the feeds and links them"
        )
    return people


def run(
    settings: Settings,
    *,
    elders: int = 800,
    months: int = 24,
    orders_per_elder_year: float = 1.0,
    until: datetime,
    seed: int = 6,
    force: bool = False,
    report: Callable[[str], None] = print,
) -> dict:
    """Seed base data, people and history ending at `until`; a summary of what was made.

    A store that already has orders is left alone unless `force` (so `make run` can call it
    every time)."""
    rng = random.Random(seed)
    start = until - timedelta(days=round(months * 30.4))
    password = os.environ.get("ELDERCARE_SIM_PASSWORD") or secrets.token_urlsafe(12)
    engine = make_engine(settings, pool_size=2)
    with engine.connect() as conn:
        existing = conn.execute(text("select count(*) from ops.orders")).scalar()
    if existing and not force:
        engine.dispose()
        report(f"ops already holds {existing} orders: nothing simulated (use --force to add)")
        return {"orders already present": existing}
    cast = Cast(hashed=hash_password(password))
    with engine.begin() as conn:
        load_regions(conn, landing=settings.landing_path)
        items = load_catalogue(conn, now=start)
        people = _elders(conn, elders)
        report(f"elders served: {len(people)} of the elder database")
        for _ in range(2):
            cast.operators.append(_account(conn, cast, start, password, "operator"))
            cast.dispatchers.append(_account(conn, cast, start, password, "dispatcher"))
        _organisations(conn, cast, start, items, rng, password)
        report(
            f"organisations: {len(cast.org_admins)}, staff: {sum(map(len, cast.staff.values()))}"
        )
    summary = simulate_orders(
        engine,
        cast,
        people,
        settings=settings,
        start=start,
        until=until,
        rng=rng,
        per_elder_year=orders_per_elder_year,
        report=report,
    )

    def account(role: str, **fields) -> Principal:
        with engine.begin() as conn:
            return _account(conn, cast, start, password, role, **fields)

    summary |= simulate_monitoring(engine, cast, people, account=account, settings=settings,
                                   start=start, until=until, rng=rng, report=report)  # fmt: skip
    seal_all(engine)  # chain the history now, unless a running API's sealer is doing it
    engine.dispose()
    path = settings.state_path / "ops-demo-accounts.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(f"# password of every simulated account: {password}\n")
        handle.writelines(line + "\n" for line in cast.credentials)
    return {**summary, "accounts": f"{len(cast.credentials)} (listed in {path})"}
