"""The jobs and the daily schedule: the CLI, the schedules and the sensor run these same jobs.

`full_build` is everything but the per-day partitions of dated sources; `discover_fetch` only
lands (the frequent schedule); `process` is everything after landing (backfills and
`nkwatch reprocess` end with it); `source_day` lands one (source, day) partition.
"""

import dagster as dg
from dagster._core.definitions.unresolved_asset_job_definition import UnresolvedAssetJobDefinition

from orchestration.defs.ingest_assets import SOURCE_DAYS_KEY, land_pages

FULL_BUILD_JOB = "full_build"
DISCOVER_FETCH_JOB = "discover_fetch"
PROCESS_JOB = "process"
SOURCE_DAY_JOB = "source_day"

_LANDING = dg.AssetSelection.assets(*land_pages.keys)
_SOURCE_DAYS = dg.AssetSelection.assets(SOURCE_DAYS_KEY)


def _job(name: str, selection: dg.AssetSelection, description: str) -> UnresolvedAssetJobDefinition:
    # One process: the stages write the DuckDB file one after another.
    return dg.define_asset_job(name=name, selection=selection, description=description,
                               executor_def=dg.in_process_executor)


full_build = _job(FULL_BUILD_JOB, dg.AssetSelection.all() - _SOURCE_DAYS,
                  "Land, extract and annotate new pages, then build and test every dbt model, and publish the marts.")
discover_fetch = _job(DISCOVER_FETCH_JOB, _LANDING,
                      "Discover and fetch new pages (parsing and the marts wait for the full build).")
process = _job(PROCESS_JOB, dg.AssetSelection.all() - _SOURCE_DAYS - _LANDING,
               "Extract and annotate what is pending, build and test the marts, publish them.")
source_day = _job(SOURCE_DAY_JOB, _SOURCE_DAYS, "Land one dated source for one day (one partition of a backfill).")

daily_full_build = dg.ScheduleDefinition(
    name="daily_full_build",
    job=full_build,
    cron_schedule="0 5 * * *",
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Every day at 05:00 UTC: the whole pipeline on the configured sources.",
)
