"""`eldercare db`: the store's lifecycle and a way in."""

from __future__ import annotations

import os
import shutil
from typing import Annotated

import typer

from orchestration.commands.common import console, friendly_errors, settings
from warehouse.bootstrap import ensure_store
from warehouse.connection import conninfo, role_name
from warehouse.server import EmbeddedServer, find_bindir

app = typer.Typer(help="Start, stop and inspect the PostgreSQL store.", no_args_is_help=True)

Role = Annotated[
    str, typer.Option(help="Role to connect as: admin, migrator, pipeline, api, bi or analyst.")
]
Database = Annotated[str, typer.Option(help="warehouse, dagster or superset.")]


@app.command()
def start() -> None:
    """Start the embedded server (initialising it on first use) and ensure roles and schemas."""
    config = settings()
    with friendly_errors():
        if config.store.target == "embedded":
            what = EmbeddedServer(config).start()
            console.print(f"embedded PostgreSQL {what} on {config.store.host}:{config.store.port}")
        else:
            console.print(f"external PostgreSQL at {config.store.host}:{config.store.port}")
        ensure_store(config)
        console.print("databases, schemas and roles are in place")


@app.command()
def stop() -> None:
    """Stop the embedded server; its data stays in the state folder."""
    config = settings()
    with friendly_errors():
        console.print(f"embedded PostgreSQL {EmbeddedServer(config).stop()}")


@app.command()
def status() -> None:
    """Say whether the embedded server is initialised and running."""
    config = settings()
    with friendly_errors():
        if config.store.target == "external":
            console.print(f"external PostgreSQL at {config.store.host}:{config.store.port}")
            return
        server = EmbeddedServer(config)
        console.print(f"embedded PostgreSQL: {server.status()}")
        console.print(f"  data:   {server.data_dir}")
        console.print(f"  socket: {server.socket_dir}")
        console.print(f"  listen: {config.store.host}:{config.store.port}")


@app.command()
def url(
    role: Role = "pipeline",
    database: Database = "warehouse",
) -> None:
    """Print a libpq URL; the password is in ELDERCARE_<ROLE>_PASSWORD or secrets.env."""
    config = settings()
    with friendly_errors():
        info = conninfo(config, role, database)
        console.print(f"postgresql://{info['user']}@{info['host']}:{info['port']}/{info['dbname']}")


@app.command()
def psql(
    role: Role = "analyst",
    database: Database = "warehouse",
) -> None:
    """Open psql on the store as a role (read-only analyst by default)."""
    config = settings()
    with friendly_errors():
        info = conninfo(config, role, database)
        client = shutil.which("psql") or str(find_bindir(config) / "psql")
        env = {**os.environ, "PGPASSWORD": info["password"]}
        user = role_name(config, role)
        os.execve(
            client,
            [client, "-h", info["host"], "-p", str(info["port"]), "-U", user, info["dbname"]],
            env,
        )
