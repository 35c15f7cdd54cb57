import subprocess
import sys


def test_dagster_validates_the_definitions(settings):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "dagster",
            "definitions",
            "validate",
            "-m",
            "orchestration.definitions",
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr[-3000:]


def test_every_job_schedule_and_sensor_loads(settings):
    from orchestration.definitions import defs

    jobs = {job.name for job in defs.resolve_all_job_defs()}
    assert "everything_job" in jobs
    for schedule in defs.schedules or []:
        assert schedule.job_name in jobs
    for sensor in defs.sensors or []:
        assert sensor.name


def test_asset_keys_match_tables_and_sources_join_the_feed_assets(settings):
    from orchestration.definitions import defs

    graph = defs.resolve_asset_graph()
    keys = {key.to_user_string() for key in graph.get_all_asset_keys()}
    assert {"raw/public_security_persons", "marts/rpt_elders_by_district"} <= keys
    staging = graph.get(
        next(k for k in graph.get_all_asset_keys() if k.path[-1] == "stg_public_security__persons")
    )
    assert "raw/public_security_persons" in {k.to_user_string() for k in staging.parent_keys}
