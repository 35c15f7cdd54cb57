import subprocess
import sys

from typer.testing import CliRunner

from orchestration.cli import app


def test_light_commands_do_not_load_dagster_or_dbt():
    probe = "import sys, orchestration.cli; print(sorted({'dagster', 'dbt'} & set(sys.modules)))"
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert loaded.stdout.strip() == "[]", loaded.stderr


def test_every_level_has_help():
    for command in ([], ["db"], ["feeds"], ["feeds", "generate"], ["run"], ["db", "psql"]):
        result = CliRunner().invoke(app, [*command, "--help"])
        assert result.exit_code == 0, (command, result.output)
        assert "Usage" in result.output


def test_status_names_the_data_folder(settings):
    result = CliRunner().invoke(app, ["db", "status"])
    assert result.exit_code == 0
    assert "running" in result.output
    assert str(settings.state_path / "pgdata") in result.output.replace("\n", "")
