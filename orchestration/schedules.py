"""Schedules: a nightly rebuild, in Tianjin's time zone."""

import dagster as dg

from orchestration.jobs import transform_job

nightly_schedule = dg.ScheduleDefinition(
    name="nightly_schedule",
    job=transform_job,
    cron_schedule="0 2 * * *",
    execution_timezone="Asia/Shanghai",
    description="Rebuild linkage, quality and the marts every night at 02:00.",
)
