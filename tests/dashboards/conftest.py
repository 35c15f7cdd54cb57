"""One Superset for the dashboard tests, on the suite's store, with the marts built."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from dashboards import service
from dashboards.publish import admin_client, publish
from orchestration.cli import app
from warehouse.connection import connect


def marts_are_built(settings) -> bool:
    with connect(settings, "bi") as conn:
        return conn.execute("select to_regclass('marts.dim_elders')").fetchone()[0] is not None


@pytest.fixture(scope="session")
def superset(settings):
    """Superset started and the assets published (by the pipeline run if the marts are new)."""
    if not marts_are_built(settings):
        result = CliRunner().invoke(app, ["run"])
        assert result.exit_code == 0, result.output
    service.start(settings)
    publish(settings)
    yield settings
    service.stop(settings)


@pytest.fixture
def admin(superset):
    with admin_client(superset) as client:
        yield client
