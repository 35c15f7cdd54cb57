"""Sensors: a new delivery in the landing folder starts a run; landed feeds rebuild the marts."""

import hashlib
import json

import dagster as dg

from ingestion.landing import SOURCES, deliveries
from orchestration.jobs import feeds_job, regions_job, transform_job
from orchestration.partitions import delivery_months
from orchestration.resources import WarehouseResource

REFERENCE = "reference/regions.csv"


def _fingerprints(warehouse: WarehouseResource) -> dict[str, str]:
    """Delivered file -> size and modification time, for every file in the landing folder."""
    landing = warehouse.landing_path()
    found = {}
    for source in SOURCES:
        for delivery in deliveries(landing, source):
            stat = delivery.path.stat()
            found[delivery.source_file] = f"{stat.st_size}:{stat.st_mtime_ns}"
    reference = landing / REFERENCE
    if reference.exists():
        stat = reference.stat()
        found[REFERENCE] = f"{stat.st_size}:{stat.st_mtime_ns}"
    return found


@dg.sensor(jobs=[feeds_job, regions_job], minimum_interval_seconds=60)
def landing_sensor(context: dg.SensorEvaluationContext, warehouse: WarehouseResource):
    """Request a feeds run for each delivery month with new or changed files."""
    seen = json.loads(context.cursor) if context.cursor else {}
    current = _fingerprints(warehouse)
    changed = sorted(name for name, mark in current.items() if seen.get(name) != mark)
    if not changed:
        return dg.SkipReason("no new deliveries")
    known = set(delivery_months.get_partition_keys())
    run_key = hashlib.sha1(json.dumps({n: current[n] for n in changed}).encode()).hexdigest()
    requests = []
    if REFERENCE in changed:
        requests.append(dg.RunRequest(run_key=f"regions-{run_key}", job_name=regions_job.name))
    months = sorted({name.split("/")[1] for name in changed if name != REFERENCE})
    for month in months:
        if month not in known:
            context.log.warning(f"deliveries for {month} are outside the delivery months")
            continue
        requests.append(
            dg.RunRequest(
                run_key=f"{month}-{run_key}", job_name=feeds_job.name, partition_key=month
            )
        )
    context.update_cursor(json.dumps(current))
    return requests


@dg.run_status_sensor(
    run_status=dg.DagsterRunStatus.SUCCESS,
    monitored_jobs=[feeds_job],
    request_job=transform_job,
)
def feeds_landed_sensor(context: dg.RunStatusSensorContext):
    """Once a delivery month has landed, rebuild everything downstream of the feeds."""
    return dg.RunRequest(run_key=context.dagster_run.run_id)
