"""Daily partitions per date-addressable source (gdelt, ccnews), for backfills from the UI or CLI.

The source dimension is dynamic: its keys are the names of the dated sources in the sources
file, registered whenever the CLI or a landing run reads that file, so a new source shows up
without a code change. The day dimension starts with CC-NEWS (August 2016) and ends today.
"""

from __future__ import annotations

from datetime import date

import dagster as dg

from ingest.config import SourcesConfig
from ingest.source_selection import dated_sources

DATED_SOURCES = dg.DynamicPartitionsDefinition(name="dated_sources")
DAYS = dg.DailyPartitionsDefinition(start_date="2016-08-01", end_offset=1, timezone="UTC")
SOURCE_DAYS = dg.MultiPartitionsDefinition({"source": DATED_SOURCES, "date": DAYS})


def register_dated_sources(instance: dg.DagsterInstance, config: SourcesConfig) -> list[str]:
    """Add the file's dated sources to the partition set (existing ones are kept); return their names."""
    names = dated_sources(config)
    known = set(instance.get_dynamic_partitions(DATED_SOURCES.name))
    new = [name for name in names if name not in known]
    if new:
        instance.add_dynamic_partitions(DATED_SOURCES.name, new)
    return names


def partition_key(source: str, day: date) -> dg.MultiPartitionKey:
    """The partition of one source on one day."""
    return dg.MultiPartitionKey({"source": source, "date": day.isoformat()})
