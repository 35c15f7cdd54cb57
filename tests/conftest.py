"""One real PostgreSQL for the suite, started through the same code as `eldercare db start`,
in a temporary folder with its own port, so tests never touch the developer's data."""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
from pathlib import Path

import pytest
import yaml

from dashboards import service as superset_service
from ingestion.feeds import FEEDS
from ingestion.generator import DefectRates
from ingestion.loader import ensure_tables
from warehouse.bootstrap import ensure_store
from warehouse.server import EmbeddedServer
from warehouse.settings import CONFIG_ENV, DEFAULT_CONFIG, Settings, load_settings

CHECKOUT = DEFAULT_CONFIG.parent
FIXTURES = Path(__file__).parent / "fixtures"
# Every defect frequent, so that a small generated population carries each kind many times.
FREQUENT_DEFECTS = DefectRates(
    name_typo=0.05, name_homophone=0.05, id_missing=0.05, id_masked=0.1, id_legacy15=0.05,
    id_digit_typo=0.05, id_transposition=0.05, id_lowercase_x=0.5, id_spaces=0.05,
    id_fullwidth=0.05, birth_month_day_swap=0.2, birth_year_month_dot=0.08,
    birth_cn_year_month=0.08, birth_compact=0.08, birth_excel_date=0.08, phone_plus86=0.08,
    phone_86_prefix=0.08, phone_spaces=0.08, phone_dashes=0.08, duplicate_row=0.03,
    paid_in_two_districts=0.03, paid_after_death=0.5,
)  # fmt: skip


def empty_raw_layer(conn) -> None:
    """Make sure the feed tables exist and hold nothing (quarantine empties with them)."""
    for module in FEEDS.values():
        ensure_tables(conn, module)
    conn.execute("truncate raw.load_log cascade")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def make_workdir(prefix: str) -> Path:
    """A temporary folder the server's unprivileged user can reach (mkdtemp makes it 0700)."""
    path = Path(tempfile.mkdtemp(prefix=prefix))
    path.chmod(0o755)
    return path


def write_config(folder: Path, **changes) -> Path:
    """A copy of warehouse.yml with its own state folder and port, and absolute paths."""
    data = yaml.safe_load(DEFAULT_CONFIG.read_text(encoding="utf-8"))
    data.update(
        state_dir=str(folder / "state"),
        landing=str(FIXTURES / "landing"),
        dbt_project_dir=str(CHECKOUT / "dbt_project"),
    )
    data["store"]["port"] = free_port()
    data["dagster"]["port"] = free_port()
    # its own Superset port; the pinned venv is shared with the checkout (installed once)
    data["superset"].update(port=free_port(), venv=str(CHECKOUT / ".eldercare" / "superset-venv"))
    for key, value in changes.items():
        data[key] = value
    path = folder / "warehouse.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def settings() -> Settings:
    """Settings of the suite's store, exported through ELDERCARE_CONFIG for every component."""
    folder = make_workdir("eldercare-test-")
    config_path = write_config(folder)
    previous = os.environ.get(CONFIG_ENV)
    os.environ[CONFIG_ENV] = str(config_path)
    loaded = load_settings(config_path)
    server = EmbeddedServer(loaded)
    server.start()
    ensure_store(loaded)
    yield loaded
    superset_service.stop(loaded)  # if a test or the pipeline's publish step started it
    server.stop()
    shutil.rmtree(folder, ignore_errors=True)
    if previous is None:
        os.environ.pop(CONFIG_ENV, None)
    else:
        os.environ[CONFIG_ENV] = previous
