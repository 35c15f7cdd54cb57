"""`eldercare audit`: check the operational API's hash-chained audit log."""

from __future__ import annotations

import typer

from orchestration.commands.common import console, errors, friendly_errors, settings

app = typer.Typer(help="The operational API's audit log.", no_args_is_help=True)


@app.callback()
def _group() -> None:
    """The operational API's audit log."""


@app.command()
def verify() -> None:
    """Walk the hash chain; name every row changed or deleted since it was written."""
    from operational_api.audit.service import verify as walk
    from operational_api.db import make_engine

    config = settings()
    with friendly_errors():
        engine = make_engine(config, pool_size=1)
        with engine.connect() as conn:
            rows, problems = walk(conn)
        engine.dispose()
    if problems:
        for problem in problems:
            errors.print(f"[red]tampered:[/] {problem}", highlight=False)
        errors.print(f"{len(problems)} problem(s) in {rows} audit rows")
        raise typer.Exit(1)
    console.print(f"audit log intact: {rows} rows, hash chain verified")
