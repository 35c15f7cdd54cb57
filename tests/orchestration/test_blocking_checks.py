"""An error-level validation failure stops everything downstream; a warning does not."""

import shutil

import pytest
import yaml
from rich.console import Console

from tests.conftest import FIXTURES, empty_raw_layer
from warehouse.connection import connect
from warehouse.settings import CONFIG_ENV, load_settings

FIXTURE = FIXTURES / "landing" / "public_security" / "2026-10" / "rk_202610_full.csv"


def bad_check_characters(text: str) -> str:
    """Every ID number of the extract with its check character changed."""
    lines = text.split("\r\n")
    for index, line in enumerate(lines[1:], start=1):
        if line:
            number = line[:18]
            wrong = "0" if number[17] != "0" else "1"
            lines[index] = number[:17] + wrong + line[18:]
    return "\r\n".join(lines)


@pytest.fixture
def bad_landing(settings, tmp_path):
    landing = tmp_path / "landing"
    shutil.copytree(FIXTURES / "landing" / "reference", landing / "reference")
    target = landing / "public_security" / "2026-10" / "rk_202610_full.csv"
    target.parent.mkdir(parents=True)
    target.write_bytes(
        bad_check_characters(FIXTURE.read_bytes().decode("gb18030")).encode("gb18030")
    )
    with connect(settings) as conn:
        empty_raw_layer(conn)
    yield landing
    with connect(settings) as conn:
        conn.execute("truncate raw.load_log cascade")


def run(settings, landing):
    from orchestration.definitions import defs
    from orchestration.runner import run_everything

    return run_everything(defs, settings, landing=str(landing), console=Console(file=None))


def test_an_error_stops_the_marts_and_says_why(settings, bad_landing):
    summary = run(settings, bad_landing)
    assert not summary.success
    assert summary.blocking_failures == [
        "raw/public_security_persons:delivered_rows_pass_validation"
    ]
    assert "raw/public_security_persons" in summary.materialised
    assert not any(key.startswith(("staging/", "marts/")) for key in summary.materialised)


def test_a_warning_lets_the_run_go_on(settings, bad_landing, tmp_path, monkeypatch):
    data = yaml.safe_load(settings.config_path.read_text(encoding="utf-8"))
    data["quality"]["checks"]["public_security.valid_id_share"] = {"severity": "warning"}
    path = tmp_path / "warehouse.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    monkeypatch.setenv(CONFIG_ENV, str(path))
    summary = run(load_settings(path), bad_landing)
    assert summary.success
    assert "raw/public_security_persons:delivered_rows_pass_validation" in summary.checks_warned
    assert summary.checks_failed == []
    assert summary.blocking_failures == []
    assert "marts/rpt_elders_by_district" in summary.materialised
