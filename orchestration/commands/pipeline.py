"""`eldercare run` and `eldercare dev`: the asset graph, once or under the Dagster UI."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from orchestration.commands.common import console, friendly_errors, settings
from orchestration.environment import export_dbt_environment
from orchestration.home import prepare_dagster_home
from quality.validation.report import report_path

if TYPE_CHECKING:
    from orchestration.runner import RunSummary


def _print_feeds(summary: RunSummary) -> None:
    table = Table(title="feeds: delivered = loaded + quarantined", show_edge=False)
    for column in ("source", "files", "rejected files", "delivered", "loaded", "quarantined",
                   "traceable rows"):  # fmt: skip
        table.add_column(column, justify="left" if column == "source" else "right")
    for source, files, rejected, delivered, loaded, quarantined, traceable in summary.feeds:
        table.add_row(
            source, f"{files:,}", f"{rejected:,}", f"{delivered:,}", f"{loaded:,}",
            f"{quarantined:,}", f"{traceable:,}",
        )  # fmt: skip
    console.print(table)


def _print_summary(summary: RunSummary) -> None:
    if summary.feeds:
        _print_feeds(summary)
    table = Table(title="rows per table", show_edge=False)
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name, count in summary.row_counts.items():
        table.add_row(name, f"{count:,}")
    console.print(table)
    verdict = "[green]succeeded[/]" if summary.success else "[red]failed[/]"
    console.print(
        f"run {verdict} in {summary.elapsed:.1f} s: "
        f"{len(summary.materialised)} assets materialised, "
        f"{len(summary.checks_passed)} checks passed, {len(summary.checks_failed)} failed, "
        f"{len(summary.checks_warned)} warned"
    )
    for name in summary.checks_failed:
        console.print(f"  [red]failed check[/] {name}")
    for name in summary.checks_warned:
        console.print(f"  [yellow]warning[/] {name} (reported; the run went on)")
    console.print(f"full log: {summary.log_file}")
    report = report_path(settings())
    if report.exists():
        console.print(f"data-quality report for stewards: file://{report}")


def _is_missing_sample(config) -> bool:
    """The configured landing is the sample's and has not been generated yet."""
    sample = config.resolve(config.sample.landing)
    return config.landing_path == sample and not sample.exists()


def run(
    landing: Annotated[
        Path | None, typer.Option(help="Landing folder to read instead of warehouse.yml's.")
    ] = None,
    skip_feeds: Annotated[
        bool,
        typer.Option(
            "--skip-feeds",
            help="Read no deliveries: rebuild the elder database, marts and dashboards from what"
            " is loaded (for example after new service orders).",
        ),
    ] = False,
) -> None:
    """Materialise the whole asset graph once, in this process, and summarise."""
    config = settings()
    with friendly_errors():
        export_dbt_environment(config)
        prepare_dagster_home(config)
        from orchestration.assets.transform import parse_dbt_project
        from orchestration.runner import run_everything

        reparsed = parse_dbt_project(config)
        if reparsed:
            console.print("parsed the dbt project (its files changed)")
        import orchestration.definitions

        if reparsed:  # definitions loaded earlier in this process hold the old manifest
            importlib.reload(orchestration.definitions)
        defs = orchestration.definitions.defs

        landing_dir = str(landing.resolve()) if landing else ""
        if not landing and not skip_feeds and _is_missing_sample(config):
            from orchestration.commands.feeds import generate_sample

            generate_sample(config)
        console.print(f"running the asset graph on {landing_dir or config.landing_path}")
        summary = run_everything(
            defs, config, landing=landing_dir, console=console, skip_feeds=skip_feeds
        )
    _print_summary(summary)
    if not summary.success:
        raise typer.Exit(1)


def dagster_ui_command(host: str, port: int) -> list[str]:
    return [
        sys.executable, "-m", "dagster", "dev",
        "-m", "orchestration.definitions", "-h", host, "-p", str(port),
    ]  # fmt: skip


def dev() -> None:
    """Serve the Dagster UI (with its daemon for schedules and sensors) on loopback."""
    config = settings()
    with friendly_errors():
        export_dbt_environment(config)
        prepare_dagster_home(config)
    console.print(f"Dagster UI: http://{config.dagster.host}:{config.dagster.port}")
    command = dagster_ui_command(config.dagster.host, config.dagster.port)
    raise typer.Exit(subprocess.call(command, env=os.environ.copy()))
