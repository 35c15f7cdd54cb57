"""`eldercare dbt …`: dbt on the platform's project and store, for analysts and operators."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from orchestration.commands.common import friendly_errors, settings
from orchestration.environment import export_dbt_environment


def dbt(
    ctx: typer.Context,
    args: Annotated[list[str] | None, typer.Argument(help="Arguments for dbt.")] = None,
) -> None:
    """Run dbt in dbt_project/ with the pipeline role's connection, e.g. `eldercare dbt build
    --select marts`."""
    config = settings()
    with friendly_errors():
        export_dbt_environment(config)
    project = config.resolve(config.dbt_project_dir)
    os.chdir(project)
    argv = ["dbt", *(args or []), *ctx.args]
    os.execvp("dbt", argv)
