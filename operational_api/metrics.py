"""Prometheus metrics: request counts and latency by route template, served at /metrics.

Plain ASGI middleware rather than `@app.middleware("http")`, which costs a task group and
memory streams per request."""

from __future__ import annotations

import time

from fastapi import FastAPI, Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)


class Metrics:
    def __init__(self, app, registry: CollectorRegistry):
        self.app = app
        self.requests = Counter(
            "eldercare_api_requests", "Requests served", ["method", "route", "status"],
            registry=registry,
        )  # fmt: skip
        self.latency = Histogram(
            "eldercare_api_request_seconds", "Request latency", ["method", "route"],
            registry=registry, buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
        )  # fmt: skip

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started, status = time.perf_counter(), [500]

        async def record_status(message):
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, record_status)
        finally:
            route = getattr(scope.get("route"), "path", "unmatched")
            self.latency.labels(scope["method"], route).observe(time.perf_counter() - started)
            self.requests.labels(scope["method"], route, str(status[0])).inc()


class InFlightLimit:
    """Admit at most `limit` requests at once: the engine's pool capacity.

    A request holds its connection from its dependency's entry to its exit, which FastAPI runs
    in separate threadpool calls; without this bound, more requests than connections start
    and wait on the pool while the exits that would free connections wait for threads, a
    deadlock under load. Requests beyond the bound wait here, without a thread.
    """

    def __init__(self, app, limit: int):
        import asyncio

        self.app, self.gate = app, asyncio.Semaphore(limit)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        async with self.gate:
            await self.app(scope, receive, send)


def install(app: FastAPI, *, in_flight: int) -> None:
    registry = CollectorRegistry()  # one per app, so several apps can live in one process
    app.add_middleware(InFlightLimit, limit=in_flight)
    app.add_middleware(Metrics, registry=registry)  # outermost: measures queueing too

    @app.get("/metrics", include_in_schema=False)
    def metrics() -> Response:
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
