"""What every command shares: the settings and errors a person can act on."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import typer
from rich.console import Console

from warehouse.server import ServerError
from warehouse.settings import ConfigError, Settings, load_settings

console = Console()
errors = Console(stderr=True)


@contextmanager
def friendly_errors(*known: type[Exception]) -> Iterator[None]:
    """Turn the platform's known failures (and a command's own `known` ones) into a message
    and exit code 1, not a traceback."""
    try:
        yield
    except (ConfigError, ServerError, *known) as exc:
        errors.print(f"[red]error:[/] {exc}", highlight=False)
        raise typer.Exit(1) from None
    except psycopg.OperationalError as exc:
        errors.print(
            f"[red]error:[/] cannot reach the store: {str(exc).strip()}\n"
            "Is it running? Start it with `eldercare db start` (or check warehouse.yml).",
            highlight=False,
        )
        raise typer.Exit(1) from None


def settings() -> Settings:
    with friendly_errors():
        return load_settings()
