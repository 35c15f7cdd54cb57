import os
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
    assert {"feeds_job", "regions_job", "transform_job"} <= jobs
    schedules = list(defs.schedules or [])
    sensors = list(defs.sensors or [])
    assert {s.name for s in schedules} == {"nightly_schedule"}
    assert {s.name for s in sensors} == {"landing_sensor", "feeds_landed_sensor"}
    for schedule in schedules:
        assert schedule.job_name in jobs
    for sensor in sensors:
        assert {target.job_name for target in sensor.targets} <= jobs


def test_asset_keys_match_tables_and_sources_join_the_feed_assets(settings):
    from orchestration.definitions import defs

    graph = defs.resolve_asset_graph()
    keys = {key.to_user_string() for key in graph.get_all_asset_keys()}
    assert {"raw/public_security_persons", "marts/rpt_elders_by_district"} <= keys
    staging = graph.get(
        next(k for k in graph.get_all_asset_keys() if k.path[-1] == "stg_public_security__persons")
    )
    assert "raw/public_security_persons" in {k.to_user_string() for k in staging.parent_keys}


def test_only_the_newest_dbt_invocation_folders_are_kept(tmp_path):
    from orchestration.assets.transform import prune_invocation_folders

    names = [f"warehouse_models-{n:07x}-abcdef{n % 10}" for n in range(5)] + ["1234567"]
    for age, name in enumerate(names):
        (tmp_path / name).mkdir()
        (tmp_path / name / "manifest.json").write_text("{}")
        os.utime(tmp_path / name, (1_000_000 - age, 1_000_000 - age))  # names[0] newest
    dbts_own = {"compiled", "run", "warehouse_models-notes"}
    for name in dbts_own:
        (tmp_path / name).mkdir()
    pruned = prune_invocation_folders(tmp_path, keep=3)
    assert sorted(p.name for p in pruned) == sorted(names[3:])
    assert {p.name for p in tmp_path.iterdir()} == {*names[:3], *dbts_own}
    assert prune_invocation_folders(tmp_path / "absent") == []
