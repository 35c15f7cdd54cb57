"""The operational API: `create_app(settings)` builds it; `eldercare ops serve` runs it."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import UTC, datetime

from fastapi import FastAPI
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import Engine, text

from operational_api import errors, metrics
from operational_api.approvals.router import router as approvals_router
from operational_api.audit.router import router as audit_router
from operational_api.audit.sealer import Sealer
from operational_api.auth.router import router as auth_router
from operational_api.calls import service as calls
from operational_api.calls.router import router as calls_router
from operational_api.catalogue.router import router as catalogue_router
from operational_api.complaints.router import router as complaints_router
from operational_api.config import load_api_config
from operational_api.consultations.router import router as consultations_router
from operational_api.db import make_engine
from operational_api.devices import ingest as devices
from operational_api.devices.router import router as devices_router
from operational_api.elders.router import router as elders_router
from operational_api.followups.router import router as followups_router
from operational_api.orders.router import router as orders_router
from operational_api.organisations.router import router as organisations_router
from operational_api.regions.router import router as regions_router
from operational_api.security import TokenCache
from operational_api.staff.router import router as staff_router
from operational_api.subsidies.router import router as subsidies_router
from operational_api.supervision import service as supervision
from operational_api.supervision.router import router as supervision_router
from warehouse.settings import Settings

# A request is matched against the routers in this order, each router's routes in turn, at
# measurable cost per router: the busiest (orders, elders, device events) come first.
ROUTERS = (
    orders_router,
    elders_router,
    devices_router,
    auth_router,
    regions_router,
    catalogue_router,
    organisations_router,
    staff_router,
    consultations_router,
    followups_router,
    supervision_router,
    complaints_router,
    calls_router,
    subsidies_router,
    approvals_router,
    audit_router,
)


def _sweep_once(engine: Engine, api) -> None:
    """Every minute: overdue orders open supervision, silent devices raise alarms, unanswered
    alarms escalate."""
    now = datetime.now(UTC)
    with engine.begin() as conn:
        supervision.sweep_overdue(conn, now=now)
        devices.detect_inactivity(conn, now=now, hours=api.no_activity_hours)
        calls.escalate_overdue(conn, now=now, minutes=api.alarm_escalation_minutes)


async def _sweep_forever(engine: Engine, api, seconds: float) -> None:
    while True:
        await asyncio.sleep(seconds)
        with contextlib.suppress(Exception):  # a failed sweep is retried on the next tick
            await run_in_threadpool(_sweep_once, engine, api)


def create_app(
    settings: Settings, *, sweep_seconds: float | None = 60, pool_size: int = 20
) -> FastAPI:
    """Build the app; refuses a placeholder secret before anything else happens."""
    config = load_api_config(settings)
    engine = make_engine(settings, pool_size=pool_size)
    # Device events get their own pool, so a burst of telemetry cannot starve people's requests.
    # Its commits do not wait for the WAL flush: a crash may lose the last fraction of a second
    # of heartbeats and positions (never corrupting anything); alarms switch it back on.
    ingest_engine = make_engine(settings, pool_size=10, options="-c synchronous_commit=off")

    sealer = Sealer(make_engine(settings, pool_size=1))

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI):
        sealer.start()
        task = (
            asyncio.create_task(_sweep_forever(engine, config.api, sweep_seconds))
            if sweep_seconds
            else None
        )
        yield
        if task:
            task.cancel()
        sealer.stop()
        sealer.engine.dispose()
        engine.dispose()
        ingest_engine.dispose()

    app = FastAPI(
        title="Eldercare operational API",
        description="Tianjin home-care service loop (DB12/T standard, Annex A) on the ops schema.",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.config, app.state.engine = config, engine
    app.state.ingest_engine = ingest_engine
    app.state.tokens = TokenCache(config.secret)
    errors.install(app)
    metrics.install(app, in_flight=2 * pool_size)
    for router in ROUTERS:
        app.include_router(router)

    @app.get("/healthz", tags=["plumbing"])
    def healthz() -> dict:
        """Liveness and store reachability."""
        with engine.connect() as conn:
            conn.execute(text("select 1"))
        return {"status": "ok"}

    return app
