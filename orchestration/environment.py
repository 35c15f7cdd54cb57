"""The environment dbt and Dagster's processes read, built from warehouse.yml (no Dagster here,
so that light commands such as `eldercare db status` start fast)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from warehouse.connection import conninfo
from warehouse.settings import Settings


def dbt_environment(settings: Settings) -> dict[str, str]:
    """Variables profiles.yml reads; the password is scrubbed from dbt's logs by its name."""
    info = conninfo(settings, "pipeline")
    return {
        "ELDERCARE_DBT_HOST": info["host"],
        "ELDERCARE_DBT_PORT": str(info["port"]),
        "ELDERCARE_DBT_USER": info["user"],
        "ELDERCARE_DBT_DATABASE": info["dbname"],
        "DBT_ENV_SECRET_ELDERCARE_PASSWORD": info["password"],
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }


def export_dbt_environment(settings: Settings) -> None:
    """Export the profile's variables, and put this environment's dbt first on PATH."""
    os.environ.update(dbt_environment(settings))
    tools = str(Path(sys.executable).parent)
    if os.environ.get("PATH", "").split(os.pathsep)[0] != tools:
        os.environ["PATH"] = os.pathsep.join([tools, os.environ.get("PATH", "")])
