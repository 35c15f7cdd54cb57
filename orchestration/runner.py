"""Materialise the whole asset graph once, in-process, showing progress and a summary."""

from __future__ import annotations

import threading
import time
import uuid
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg
from dagster import DagsterEventType as Event
from rich.console import Console

from orchestration.home import prepare_dagster_home
from orchestration.resources import WarehouseResource
from warehouse.connection import connect
from warehouse.settings import Settings

WATCHED = {
    Event.STEP_START,
    Event.STEP_SUCCESS,
    Event.STEP_FAILURE,
    Event.ASSET_MATERIALIZATION,
    Event.ASSET_CHECK_EVALUATION,
}
COUNTED_SCHEMAS = ("raw", "quarantine", "linkage", "marts", "quality")


@dataclass
class RunSummary:
    success: bool
    elapsed: float
    materialised: list[str] = field(default_factory=list)
    checks_passed: list[str] = field(default_factory=list)
    checks_failed: list[str] = field(default_factory=list)
    row_counts: dict[str, int] = field(default_factory=dict)
    log_file: Path | None = None


def _describe(record, console: Console, summary: RunSummary) -> None:
    event = record.event_log_entry.dagster_event
    step = event.step_key or ""
    if event.event_type == Event.STEP_START:
        console.print(f"  [dim]…[/] {step}")
    elif event.event_type == Event.STEP_FAILURE:
        console.print(f"  [red]✗ {step} failed[/]")
    elif event.event_type == Event.ASSET_MATERIALIZATION:
        key = event.asset_key.to_user_string()
        summary.materialised.append(key)
        console.print(f"  [green]✓[/] {key}")
    elif event.event_type == Event.ASSET_CHECK_EVALUATION:
        evaluation = event.event_specific_data
        name = f"{evaluation.asset_key.to_user_string()}:{evaluation.check_name}"
        (summary.checks_passed if evaluation.passed else summary.checks_failed).append(name)
        if not evaluation.passed:
            console.print(f"  [red]✗ check {name}[/]")


def _row_counts(settings: Settings) -> dict[str, int]:
    counts = {}
    with connect(settings, "pipeline") as conn:
        tables = conn.execute(
            "select table_schema, table_name from information_schema.tables"
            " where table_schema = any(%s) and table_type = 'BASE TABLE' order by 1, 2",
            (list(COUNTED_SCHEMAS),),
        ).fetchall()
        for schema, table in tables:
            counts[f"{schema}.{table}"] = conn.execute(
                f'select count(*) from "{schema}"."{table}"'
            ).fetchone()[0]
    return counts


def _execute(job: dg.JobDefinition, instance, run_id: str, landing: str, outcome: dict) -> None:
    try:
        outcome["result"] = job.execute_in_process(
            instance=instance,
            run_id=run_id,
            raise_on_error=False,
            resources={"warehouse": WarehouseResource(landing=landing)},
        )
    except Exception as exc:  # re-raised by the caller; the run's own failures are events
        outcome["error"] = exc


def _follow(instance, run_id: str, worker: threading.Thread, console: Console) -> RunSummary:
    """Print the run's steps, materialisations and failed checks as they happen."""
    summary = RunSummary(success=False, elapsed=0.0)
    cursor = None
    while True:
        alive = worker.is_alive()
        if instance.get_run_by_id(run_id):
            batch = instance.get_records_for_run(run_id, cursor=cursor, of_type=WATCHED)
            cursor = batch.cursor
            for record in batch.records:
                _describe(record, console, summary)
        if not alive:
            return summary
        time.sleep(0.5)


def run_everything(
    defs: dg.Definitions, settings: Settings, landing: str = "", console: Console | None = None
) -> RunSummary:
    """Execute every asset once in this process; Dagster's and dbt's output go to a log file."""
    console = Console(file=(console or Console()).file)
    prepare_dagster_home(settings)
    started = time.monotonic()
    run_id = str(uuid.uuid4())
    log_file = settings.state_path / "logs" / f"run-{run_id[:8]}.log"
    log_file.parent.mkdir(parents=True, exist_ok=True)
    console.print(f"  [dim]run {run_id[:8]}; full log in {log_file}[/]")
    job = defs.resolve_implicit_global_asset_job_def()
    outcome: dict = {}
    with (
        log_file.open("w") as log,
        redirect_stdout(log),
        redirect_stderr(log),
        dg.DagsterInstance.get() as instance,
    ):
        worker = threading.Thread(
            target=_execute, args=(job, instance, run_id, landing, outcome), name="dagster-run"
        )
        worker.start()
        summary = _follow(instance, run_id, worker, console)
        worker.join()
    if "error" in outcome:
        raise outcome["error"]
    summary.success = outcome["result"].success
    summary.elapsed = time.monotonic() - started
    summary.row_counts = _row_counts(settings)
    summary.log_file = log_file
    return summary
