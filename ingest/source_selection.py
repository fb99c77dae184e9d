"""Which sources a run reads: all, some kinds, one source's single day, or WARC files from the inbox.

Scheduled discovery only reads feeds and sitemaps, a backfill partition reads one
date-addressable source (gdelt, ccnews) for one day, and the inbox sensor lands dropped WARC
files; all of them are the same landing stage over a narrowed sources file.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import replace
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

from ingest.config import SourceSpec, SourcesConfig

# Source kinds whose sources file entry has a start and an end, so a day can be asked for alone.
DATED_KINDS = frozenset({"gdelt", "ccnews"})
INBOX_SOURCE = "inbox"


def dated_sources(config: SourcesConfig) -> list[str]:
    """Names of the sources that can be read one day at a time."""
    return [spec.name for spec in config.sources if spec.kind in DATED_KINDS]


def only_kinds(config: SourcesConfig, kinds: Collection[str]) -> SourcesConfig:
    """The sources of the given kinds (all of them when ``kinds`` is empty)."""
    if not kinds:
        return config
    return replace(config, sources=tuple(spec for spec in config.sources if spec.kind in kinds))


def narrow_to_day(spec: SourceSpec, day: date) -> SourceSpec:
    """One dated source restricted to one UTC day: ccnews takes days, gdelt moments [start, end)."""
    if spec.kind == "ccnews":
        return replace(spec, start=day, end=day)
    if spec.kind == "gdelt":
        start = datetime.combine(day, time(), timezone.utc)
        return replace(spec, start=start, end=start + timedelta(days=1))
    raise ValueError(f"source {spec.name!r} is of kind {spec.kind!r}, which has no days (expected one of "
                     f"{', '.join(sorted(DATED_KINDS))})")


def one_source_day(config: SourcesConfig, name: str, day: date) -> SourcesConfig:
    """The sources file reduced to source ``name`` on ``day``."""
    for spec in config.sources:
        if spec.name == name:
            return replace(config, sources=(narrow_to_day(spec, day),))
    raise KeyError(f"no source named {name!r} in {config.file}")


def inbox_files(config: SourcesConfig, files: Sequence[str | Path]) -> SourcesConfig:
    """The sources file's settings with the given WARC files as its only sources."""
    specs = tuple(SourceSpec(name=INBOX_SOURCE, kind="warc", path=Path(f).resolve()) for f in files)
    return replace(config, sources=specs)
