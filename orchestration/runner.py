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
from dagster._core.storage.tags import (
    ASSET_PARTITION_RANGE_END_TAG,
    ASSET_PARTITION_RANGE_START_TAG,
)
from rich.console import Console

from ingestion.feeds import FEEDS
from ingestion.landing import SOURCES
from ingestion.landing import delivery_months as delivery_months_in
from orchestration.assets.feeds import REGIONS_KEY
from orchestration.home import prepare_dagster_home
from orchestration.partitions import delivery_months
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
    checks_warned: list[str] = field(default_factory=list)
    blocking_failures: list[str] = field(default_factory=list)
    row_counts: dict[str, int] = field(default_factory=dict)
    feeds: list[tuple] = field(default_factory=list)
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
        if key not in summary.materialised:  # a partitioned asset reports once per month
            summary.materialised.append(key)
            console.print(f"  [green]✓[/] {key}")
    elif event.event_type == Event.ASSET_CHECK_EVALUATION:
        evaluation = event.event_specific_data
        name = f"{evaluation.asset_key.to_user_string()}:{evaluation.check_name}"
        error = evaluation.severity == dg.AssetCheckSeverity.ERROR
        if evaluation.passed:
            summary.checks_passed.append(name)
        else:
            (summary.checks_failed if error else summary.checks_warned).append(name)
        if not evaluation.passed:
            console.print(f"  [{'red' if error else 'yellow'}]✗ check {name}[/]")
            if evaluation.description:
                console.print(f"    [dim]{evaluation.description}[/]")
            if error:
                summary.blocking_failures.append(name)


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


def _stages(defs: dg.Definitions, landing: Path) -> list[tuple[str, list[dg.AssetKey], dict]]:
    """Runs to make, in order: reference regions, every delivery month of the feeds, the rest."""
    graph = defs.resolve_asset_graph()
    keys = set(graph.materializable_asset_keys)
    partitioned = sorted(k for k in keys if graph.get(k).partitions_def is not None)
    known = set(delivery_months.get_partition_keys())
    months = sorted(
        month
        for source in SOURCES
        for month in delivery_months_in(landing, source)
        if month in known
    )
    stages = [("reference regions", [REGIONS_KEY], {})]
    if months:
        tags = {
            ASSET_PARTITION_RANGE_START_TAG: months[0],
            ASSET_PARTITION_RANGE_END_TAG: months[-1],
        }
        stages.append((f"feeds, deliveries {months[0]} to {months[-1]}", partitioned, tags))
    stages.append(("warehouse models", sorted(keys - set(partitioned) - {REGIONS_KEY}), {}))
    return stages


def _execute(defs, keys, tags, instance, run_id: str, landing: str, outcome: dict) -> None:
    try:
        job = defs.resolve_implicit_job_def_def_for_assets(keys)
        outcome["result"] = job.execute_in_process(
            instance=instance,
            run_id=run_id,
            asset_selection=keys,
            tags=tags,
            raise_on_error=False,
            run_config={"resources": {"warehouse": {"config": {"landing": landing}}}},
        )
    except Exception as exc:  # re-raised by the caller; the run's own failures are events
        outcome["error"] = exc


def _follow(instance, run_id: str, worker: threading.Thread, console, summary) -> None:
    """Print the run's steps, materialisations and failed checks as they happen."""
    cursor = None
    while True:
        alive = worker.is_alive()
        if instance.get_run_by_id(run_id):
            batch = instance.get_records_for_run(run_id, cursor=cursor, of_type=WATCHED)
            cursor = batch.cursor
            for record in batch.records:
                _describe(record, console, summary)
        if not alive:
            return
        time.sleep(0.5)


FEED_ACCOUNTING = """
select source,
       count(*) filter (where status = 'loaded') as files_loaded,
       count(*) filter (where status = 'rejected') as files_rejected,
       sum(delivered), sum(loaded), sum(quarantined)
from raw.load_log group by source order by source
"""


def _feed_accounting(settings: Settings) -> list[tuple]:
    """Per source: files loaded and rejected, rows delivered, loaded, quarantined, traceable."""
    with connect(settings, "pipeline") as conn:
        if not conn.execute("select to_regclass('raw.load_log')").fetchone()[0]:
            return []
        rows = conn.execute(FEED_ACCOUNTING).fetchall()
        tables = {"reference": "reference_regions"} | {
            source: module.TABLE.split(".")[1] for source, module in FEEDS.items()
        }
        accounting = []
        for row in rows:
            traceable = conn.execute(
                f"select count(*) from raw.{tables[row[0]]}"
                " where source_file is not null and source_row is not null"
            ).fetchone()[0]
            accounting.append((*row, traceable))
    return accounting


def run_everything(
    defs: dg.Definitions,
    settings: Settings,
    landing: str = "",
    console: Console | None = None,
    skip_feeds: bool = False,
) -> RunSummary:
    """Execute every asset once in this process (with skip_feeds, only those downstream of the
    feeds, from what is loaded); Dagster's and dbt's output go to a log file."""
    console = Console(file=(console or Console()).file)
    prepare_dagster_home(settings)
    started = time.monotonic()
    log_file = settings.state_path / "logs" / f"run-{time.strftime('%Y%m%d-%H%M%S')}.log"
    log_file.parent.mkdir(parents=True, exist_ok=True)
    console.print(f"  [dim]full log in {log_file}[/]")
    summary = RunSummary(success=True, elapsed=0.0, log_file=log_file)
    stages = _stages(defs, Path(landing) if landing else settings.landing_path)
    if skip_feeds:
        stages = stages[-1:]
    with (
        log_file.open("w") as log,
        redirect_stdout(log),
        redirect_stderr(log),
        dg.DagsterInstance.get() as instance,
    ):
        for title, keys, tags in stages:
            console.print(f"[bold]{title}[/]")
            run_id, outcome = str(uuid.uuid4()), {}
            worker = threading.Thread(
                target=_execute, args=(defs, keys, tags, instance, run_id, landing, outcome)
            )
            worker.start()
            _follow(instance, run_id, worker, console, summary)
            worker.join()
            if "error" in outcome:
                raise outcome["error"]
            if not outcome["result"].success or summary.blocking_failures:
                summary.success = False
                console.print(f"[red]{title} failed; later stages not run[/]")
                break
    summary.elapsed = time.monotonic() - started
    summary.row_counts = _row_counts(settings)
    summary.feeds = _feed_accounting(settings)
    return summary
