"""One Superset for the dashboard tests, on the suite's server, reading a database of their
own that holds the generated sample (tests/dashboards/sample.py): the other packages' tests
never see its orders, and the dashboards never see theirs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from dashboards import service
from dashboards.publish import admin_client, publish
from tests.dashboards import sample
from warehouse.bootstrap import ensure_store
from warehouse.connection import connect
from warehouse.settings import CONFIG_ENV, load_settings

DATABASE = "eldercare_dashboards"


@pytest.fixture(scope="package")
def settings(settings, tmp_path_factory):
    """The suite's settings with the warehouse database swapped for the sample's, built once."""
    folder = tmp_path_factory.mktemp("dashboards")
    landing = sample.generate_feeds(folder)
    config = yaml.safe_load(Path(os.environ[CONFIG_ENV]).read_text(encoding="utf-8"))
    config["store"]["databases"]["warehouse"] = DATABASE
    config["landing"] = str(landing)
    path = folder / "warehouse.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    saved = dict(os.environ)
    os.environ[CONFIG_ENV] = str(path)
    try:  # a failed build too must hand the later packages the suite's own database back
        own = load_settings(path)
        ensure_store(own)
        sample.build(own, landing)
        yield own
    finally:
        os.environ.clear()
        os.environ.update(saved)  # dbt's variables too: later tests build their own database
        with connect(settings, "admin", "postgres", autocommit=True) as conn:
            conn.execute(f"drop database if exists {DATABASE} with (force)")


@pytest.fixture(scope="package")
def superset(settings):
    """Superset started and the assets published. It is left running for the rest of the
    suite (the session's settings stop it): the same process serves the pipeline's publish
    step in later tests, which points its database at their warehouse."""
    service.start(settings)
    publish(settings)
    return settings


@pytest.fixture
def admin(superset):
    with admin_client(superset) as client:
        yield client
