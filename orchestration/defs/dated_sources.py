"""Landing of date-addressable sources one (source, day) partition at a time: what backfills run.

A partition narrows its source's start and end to that UTC day and lands it with the same
stage as `land_pages`; the parse, annotate and dbt assets downstream then take whatever is
new. In the UI, select `raw/source_days` and its downstream assets and launch a backfill over
a date range: each partition runs once, the unpartitioned assets after them once.
"""

from datetime import date

import dagster as dg

from ingest.source_selection import one_source_day
from orchestration.defs.ingest_assets import GROUP, SOURCE_DAYS_KEY, WRITER_POOL, LandConfig, land
from orchestration.defs.resources import Sources, Warehouse
from orchestration.partitions import SOURCE_DAYS


@dg.asset(
    key=SOURCE_DAYS_KEY,
    partitions_def=SOURCE_DAYS,
    group_name=GROUP,
    pool=WRITER_POOL,
    kinds={"python", "duckdb"},
    description="Pages of one date-addressable source (gdelt, ccnews) for one day, landed in raw.pages.",
)
def source_days(context: dg.AssetExecutionContext, config: LandConfig, sources: Sources,
                warehouse: Warehouse) -> dg.MaterializeResult:
    """Land one dated source for the partition's day."""
    keys = context.partition_key.keys_by_dimension
    day = date.fromisoformat(keys["date"])
    report = land(context, config, one_source_day(sources.load(), keys["source"], day), warehouse)
    return dg.MaterializeResult(metadata={"source": keys["source"], "day": keys["date"], **report.as_metadata()})
