"""`eldercare superset`: the dashboards' server, and publishing them from dashboards/assets."""

from __future__ import annotations

import typer

from dashboards import service
from orchestration.commands.common import console, friendly_errors, settings

app = typer.Typer(help="Superset: install, start, stop, status, publish.", no_args_is_help=True)


def login_hint(config) -> str:
    """How to log in, without printing the password."""
    where = (
        f"${service.ADMIN_PASSWORD_ENV}"
        if config.store.target != "embedded"
        else f"{service.ADMIN_PASSWORD_ENV} in {config.state_path / 'secrets.env'}"
    )
    return f"log in as '{config.superset.admin_user}', password: {where}"


@app.command()
def install() -> None:
    """Install Superset's pinned environment (skipped when it is there at the same pins)."""
    config = settings()
    with friendly_errors():
        done = service.install(config)
    console.print(f"Superset {'installed' if done else 'already installed'} in "
                  f"{service.venv_path(config)}")  # fmt: skip


@app.command()
def start() -> None:
    """Install and initialise if needed, then serve Superset in the background."""
    config = settings()
    with friendly_errors():
        what = service.start(config, say=lambda message: console.print(f"  {message} …"))
    console.print(f"Superset {what}: {service.base_url(config)} ({login_hint(config)})")
    console.print(f"  log: {service.log_file(config)}")


@app.command()
def stop() -> None:
    """Stop the Superset this checkout started."""
    config = settings()
    with friendly_errors():
        console.print(f"Superset {service.stop(config)}")


@app.command()
def status() -> None:
    """Say whether Superset is running and answering."""
    config = settings()
    with friendly_errors():
        console.print(f"Superset: {service.status(config)} at {service.base_url(config)}")


@app.command()
def publish() -> None:
    """Publish dashboards/assets to the running Superset; publishing twice changes nothing."""
    from dashboards.publish import publish as publish_assets

    config = settings()
    with friendly_errors():
        report = publish_assets(config)
    console.print(report.summary())
