"""`eldercare ops`: migrate, serve and fill the operational API's `ops` schema."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import typer

from orchestration.commands.common import console, friendly_errors, settings

app = typer.Typer(
    help="The operational API: migrations, server, simulated history.", no_args_is_help=True
)


@app.command()
def migrate() -> None:
    """Bring the `ops` schema up to date (Alembic, as the migrator role)."""
    from operational_api.migrate import upgrade

    config = settings()
    with friendly_errors():
        upgrade(config)
        console.print("ops schema is up to date")


@app.command()
def serve(
    port: Annotated[int | None, typer.Option(help="Override api.port of warehouse.yml.")] = None,
) -> None:
    """Run the API on loopback (api.host/api.port); migrations run first."""
    import uvicorn

    from operational_api.main import create_app
    from operational_api.migrate import upgrade

    config = settings()
    with friendly_errors():
        upgrade(config)
        application = create_app(config)
        host, chosen = config.api.host, port or config.api.port
        console.print(f"operational API on http://{host}:{chosen}/docs")
        uvicorn.run(application, host=host, port=chosen, log_level="warning")


@app.command()
def simulate(
    elders: Annotated[
        int, typer.Option(help="How many elders of the elder database to serve (at most).")
    ] = 800,
    months: Annotated[int, typer.Option(help="Months of history before --until.")] = 24,
    orders_per_elder_year: Annotated[float, typer.Option(help="Mean requests a year.")] = 1.0,
    until: Annotated[
        datetime | None, typer.Option(help="The simulated 'now' (default: the real now).")
    ] = None,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 6,
    force: Annotated[bool, typer.Option(help="Add history even if ops has orders.")] = False,
) -> None:
    """Fill `ops` with organisations, staff and history through the service layer."""
    from operational_api.migrate import upgrade
    from operational_api.simulate import EmptyElderDatabase, run

    config = settings()
    end = (until or datetime.now(UTC)).astimezone(UTC)
    with friendly_errors(EmptyElderDatabase):
        upgrade(config)
        summary = run(
            config,
            elders=elders,
            months=months,
            orders_per_elder_year=orders_per_elder_year,
            until=end,
            seed=seed,
            force=force,
            report=console.print,
        )
    for key, value in summary.items():
        console.print(f"  {key}: {value}")
