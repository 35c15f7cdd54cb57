import shutil

import psycopg
import pytest
from typer.testing import CliRunner

from orchestration.cli import app
from tests.conftest import make_workdir, write_config
from warehouse import server as server_module
from warehouse.connection import connect
from warehouse.server import EmbeddedServer, MissingBinariesError
from warehouse.settings import load_settings


@pytest.fixture
def own_cluster():
    """A cluster of the test's own, beside the suite's shared one."""
    folder = make_workdir("eldercare-lifecycle-")
    settings = load_settings(write_config(folder))
    yield EmbeddedServer(settings)
    EmbeddedServer(settings).stop()
    shutil.rmtree(folder, ignore_errors=True)


def test_start_twice_stop_and_start_keeps_data(own_cluster):
    assert own_cluster.status() == "not initialised"
    assert own_cluster.start() == "initialised and started"
    assert own_cluster.start() == "already running"
    with connect(own_cluster.settings, "admin", "postgres") as conn:
        conn.execute("create table kept (value text)")
        conn.execute("insert into kept values ('survives a restart')")
    assert own_cluster.stop() == "stopped"
    assert own_cluster.status() == "stopped"
    with pytest.raises(psycopg.OperationalError):
        connect(own_cluster.settings, "admin", "postgres", connect_timeout=2)
    assert own_cluster.start() == "started"
    with connect(own_cluster.settings, "admin", "postgres") as conn:
        assert conn.execute("select value from kept").fetchall() == [("survives a restart",)]
    assert own_cluster.stop() == "stopped"
    assert own_cluster.stop() == "not running"


def test_the_server_listens_on_loopback_with_its_socket_in_the_state_folder(own_cluster):
    own_cluster.start()
    with connect(own_cluster.settings, "admin", "postgres") as conn:
        listen = conn.execute("show listen_addresses").fetchone()[0]
        sockets = conn.execute("show unix_socket_directories").fetchone()[0]
    assert listen == "127.0.0.1"
    assert sockets == str(own_cluster.socket_dir)
    assert own_cluster.socket_dir.is_relative_to(own_cluster.settings.state_path)


@pytest.fixture
def no_binaries(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(server_module, "VERSIONED_BINDIRS", str(tmp_path / "none" / "*"))


def test_missing_binaries_say_how_to_install_or_configure(no_binaries, tmp_path):
    settings = load_settings(write_config(make_workdir("eldercare-nobin-")))
    with pytest.raises(MissingBinariesError) as error:
        EmbeddedServer(settings).start()
    message = str(error.value)
    assert "apt-get install postgresql" in message
    assert "target: external" in message


def test_missing_binaries_reach_the_operator_without_a_traceback(no_binaries, monkeypatch):
    monkeypatch.setenv("ELDERCARE_CONFIG", str(write_config(make_workdir("eldercare-nobin-"))))
    result = CliRunner().invoke(app, ["db", "start"])
    assert result.exit_code == 1
    assert "were not found" in result.output
    assert "Traceback" not in result.output
