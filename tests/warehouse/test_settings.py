from pathlib import Path

import pytest

from warehouse.settings import ConfigError, load_settings


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "warehouse.yml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("landng: feeds\n", "unknown key 'landng'", id="top-level typo"),
        pytest.param("store:\n  prot: 5432\n", "unknown key 'store.prot'", id="nested typo"),
        pytest.param(
            "store:\n  roles:\n    analist: x\n",
            "unknown key 'store.roles.analist'",
            id="deep typo",
        ),
        pytest.param("store:\n  port: lots\n", "store.port", id="wrong type"),
        pytest.param("store:\n  target: cloud\n", "store.target", id="not a choice"),
    ],
)
def test_a_bad_key_is_refused_naming_the_key_and_the_file(tmp_path, text, expected):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as error:
        load_settings(path)
    assert expected in str(error.value)
    assert str(path) in str(error.value)


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_settings(tmp_path / "absent.yml")


def test_the_committed_configuration_loads():
    settings = load_settings()
    assert settings.store.target == "embedded"
    assert "public_security" in settings.feeds


def test_relative_paths_are_taken_from_the_files_folder(tmp_path):
    settings = load_settings(write(tmp_path, "state_dir: here/state\n"))
    assert settings.state_path == tmp_path / "here" / "state"


def test_the_environment_points_the_store_elsewhere(tmp_path, monkeypatch):
    monkeypatch.setenv("ELDERCARE_STORE_TARGET", "external")
    monkeypatch.setenv("ELDERCARE_STORE_HOST", "db.internal")
    monkeypatch.setenv("ELDERCARE_STORE_PORT", "6543")
    settings = load_settings(write(tmp_path, "store:\n  port: 5432\n"))
    assert (settings.store.target, settings.store.host, settings.store.port) == (
        "external",
        "db.internal",
        6543,
    )
