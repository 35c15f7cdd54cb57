"""`eldercare serve`: every UI of the platform in the foreground until Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from orchestration.commands.common import console, friendly_errors, settings
from orchestration.commands.pipeline import dagster_ui_command
from orchestration.environment import export_dbt_environment
from orchestration.home import prepare_dagster_home

STOP_GRACE_SECONDS = 20


def _stop(processes: dict[str, subprocess.Popen]) -> None:
    # a second Ctrl-C or a supervisor's repeated SIGTERM must not cut the stop short and leave
    # the services running without us; the grace period below ends in SIGKILL anyway
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, signal.SIG_IGN)
    for process in processes.values():
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGINT)
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    for name, process in processes.items():
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            console.print(f"{name} did not stop in time and was killed")


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def _print_superset(config) -> None:
    """Superset runs in the background (`eldercare superset start`); say where and how."""
    from dashboards import service
    from orchestration.commands.superset import login_hint

    if service.status(config) == "running":
        console.print(f"Superset dashboards: {service.base_url(config)} ({login_hint(config)})")
    else:
        console.print("Superset is not running: `eldercare superset start` starts it")


def serve() -> None:
    """Serve the Dagster UI and the operational API; Ctrl-C stops them cleanly."""
    signal.signal(signal.SIGTERM, _interrupt)  # a supervisor's stop is a Ctrl-C too
    config = settings()
    with friendly_errors():
        export_dbt_environment(config)
        prepare_dagster_home(config)
    api = config.api
    services = {
        "Dagster UI": (
            dagster_ui_command(config.dagster.host, config.dagster.port),
            f"http://{config.dagster.host}:{config.dagster.port}",
        ),
        "Operational API": (
            [sys.executable, "-m", "uvicorn", "operational_api.asgi:app",
             "--host", api.host, "--port", str(api.port), "--log-level", "warning"],
            f"http://{api.host}:{api.port}/docs",
        ),
    }  # fmt: skip
    processes = {}
    for name, (command, address) in services.items():
        processes[name] = subprocess.Popen(command, start_new_session=True)
        console.print(f"{name}: {address}")
    _print_superset(config)
    console.print("Press Ctrl-C to stop.")
    try:
        while all(process.poll() is None for process in processes.values()):
            time.sleep(1)
        stopped = [name for name, process in processes.items() if process.poll() is not None]
        console.print(f"[red]{', '.join(stopped)} stopped unexpectedly; stopping the rest[/]")
    except KeyboardInterrupt:
        console.print("stopping…")
    finally:
        _stop(processes)
        console.print("stopped; the database keeps running (`eldercare db stop` stops it)")
