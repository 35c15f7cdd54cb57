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
    """Walk the hash chain; name every row changed or deleted since it was written, and count
    the rows not yet sealed into it."""
    from operational_api.audit.service import verify as walk
    from operational_api.db import make_engine

    config = settings()
    with friendly_errors():
        engine = make_engine(config, pool_size=1)
        with engine.connect() as conn:
            found = walk(conn)
        engine.dispose()
    if found.unsealed:
        errors.print(
            f"[yellow]not yet sealed:[/] {found.unsealed} audit row(s), the oldest written at "
            f"{found.oldest_unsealed_at:%Y-%m-%d %H:%M:%S%z}; the chain cannot vouch for them "
            "until the API's sealer chains them (if that time is not seconds ago, is the API "
            "running?)",
            highlight=False,
        )
    if found.problems:
        for problem in found.problems:
            errors.print(f"[red]tampered:[/] {problem}", highlight=False)
        errors.print(f"{len(found.problems)} problem(s) in {found.rows} sealed audit rows")
        raise typer.Exit(1)
    console.print(f"audit log intact: {found.rows} sealed rows, hash chain verified")
