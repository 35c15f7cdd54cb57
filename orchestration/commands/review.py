"""`eldercare review`: the stewards' queue of uncertain record pairs."""

from __future__ import annotations

import getpass
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from orchestration.commands.common import console, errors, friendly_errors, settings
from quality.linkage import report, review
from quality.linkage.compare import FEATURES, LEVELS
from warehouse.connection import connect

app = typer.Typer(help="Review uncertain record pairs and decide them.", no_args_is_help=True)


@app.command("list")
def list_pairs(
    limit: Annotated[int, typer.Option(help="Show at most this many pairs.", min=1)] = 50,
) -> None:
    """List the pairs waiting for a decision, strongest first."""
    config = settings()
    with friendly_errors(), connect(config) as conn:
        pairs = review.queue(conn, limit)
    table = Table("review_id", "score", "left row", "right row")
    for p in pairs:
        table.add_row(
            p["review_id"], f"{p['probability']:.3f}",
            f"{p['left_source_file']}:{p['left_source_row']}",
            f"{p['right_source_file']}:{p['right_source_row']}",
        )  # fmt: skip
    console.print(table if pairs else "the review queue is empty")


@app.command()
def show(review_id: Annotated[str, typer.Argument(help="A review_id from `list`.")]) -> None:
    """Show both records of a pair field by field, with the comparison evidence and score."""
    config = settings()
    with friendly_errors(), connect(config) as conn:
        try:
            queued, left, right = review.pair(conn, review_id)
        except LookupError as exc:
            errors.print(f"[red]error:[/] {exc}")
            raise typer.Exit(1) from None
    console.print(f"pair {review_id}: match probability {queued['probability']:.4f}")
    table = Table("field", "left", "right")
    for field in left:
        table.add_row(field, str(left[field] or ""), str(right[field] or ""))
    console.print(table)
    evidence = Table("comparison", "level")
    for feature in FEATURES:
        evidence.add_row(feature, LEVELS[feature][queued[f"{feature}_level"]])
    console.print(evidence)


@app.command()
def decide(
    review_id: Annotated[str, typer.Argument(help="A review_id from `list`.")],
    decision: Annotated[str, typer.Argument(help="same or different.")],
    who: Annotated[str | None, typer.Option(help="Steward's name (default: login).")] = None,
    note: Annotated[str | None, typer.Option(help="Why, for the record.")] = None,
) -> None:
    """Record a decision; the next linkage run applies it, and so does every later run."""
    config = settings()
    with friendly_errors(), connect(config) as conn:
        try:
            review.decide(conn, review_id, decision, who or getpass.getuser(), note)
        except (LookupError, ValueError) as exc:
            errors.print(f"[red]error:[/] {exc}")
            raise typer.Exit(1) from None
        conn.commit()
    console.print(f"recorded: {review_id} {decision}; applied at the next linkage run")


@app.command("report")
def write_report(
    out: Annotated[
        Path | None, typer.Option(help="HTML file (default: linkage.report_dir).")
    ] = None,
) -> None:
    """Write the stewards' HTML report of the last linkage run."""
    config = settings()
    with friendly_errors(), connect(config) as conn:
        path = report.write(conn, out or config.resolve(config.linkage.report_dir) / "linkage.html")
    console.print(f"report written to {path} ({date.today()})")
