"""The main job and its schedule: the CLI and the schedule run the same job."""

import dagster as dg

FULL_BUILD_JOB = "full_build"

full_build = dg.define_asset_job(
    name=FULL_BUILD_JOB,
    selection=dg.AssetSelection.all(),
    description="Land, extract and annotate new pages, then build and test every dbt model.",
    # One process: the stages write the DuckDB file one after another.
    executor_def=dg.in_process_executor,
)

daily_full_build = dg.ScheduleDefinition(
    name="daily_full_build",
    job=full_build,
    cron_schedule="0 5 * * *",
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Every day at 05:00 UTC: the whole pipeline on the configured sources.",
)
