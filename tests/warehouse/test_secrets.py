import stat

import pytest

from warehouse.secrets import password
from warehouse.settings import ConfigError, load_settings


def test_an_external_server_needs_passwords_in_the_environment(tmp_path, monkeypatch):
    monkeypatch.delenv("ELDERCARE_PIPELINE_PASSWORD", raising=False)
    (tmp_path / "warehouse.yml").write_text("store:\n  target: external\n")
    settings = load_settings(tmp_path / "warehouse.yml")
    with pytest.raises(ConfigError, match="ELDERCARE_PIPELINE_PASSWORD is not set"):
        password(settings, "pipeline")
    assert not (tmp_path / ".eldercare").exists()


def test_embedded_passwords_are_generated_once_and_private(tmp_path, monkeypatch):
    monkeypatch.delenv("ELDERCARE_API_PASSWORD", raising=False)
    (tmp_path / "warehouse.yml").write_text("state_dir: state\n")
    settings = load_settings(tmp_path / "warehouse.yml")
    first = password(settings, "api")
    assert password(settings, "api") == first
    assert password(settings, "bi") != first
    mode = (tmp_path / "state" / "secrets.env").stat().st_mode
    assert stat.S_IMODE(mode) == 0o600


def test_the_environment_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("ELDERCARE_BI_PASSWORD", "from-the-environment")
    (tmp_path / "warehouse.yml").write_text("state_dir: state\n")
    assert password(load_settings(tmp_path / "warehouse.yml"), "bi") == "from-the-environment"
