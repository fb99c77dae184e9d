"""Local WARC files read in shards on several processes, and files read whole skipped next time."""

from __future__ import annotations

import os
import zlib
from dataclasses import replace
from pathlib import Path

import pytest

from bench.corpus import CorpusSpec, write_warc
from ingest.config import load_sources
from ingest.discover import Prefilter, discover_warc
from ingest.discover.warc_shards import ArchiveRead, discover_warc_files, shard_bounds
from ingest.fetch import FetchOptions
from ingest.land import land_sources
from ingest.records import ArchiveTally, Candidate
from tests.conftest import query

SPEC = CorpusSpec(records=60, on_topic_share=0.2, near_miss_share=0.05, seed=3)
SMALL_SHARDS = 256 * 1024


@pytest.fixture(scope="module")
def warc(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("warc") / "a.warc.gz"
    write_warc(path, SPEC, 0, SPEC.records, workers=1)
    return path


def _comparable(items: list) -> list[str]:
    """Items as text, without the moment of discovery (the one field that differs between reads)."""
    return sorted(repr(replace(i, discovered_at=None) if isinstance(i, Candidate) else i) for i in items)


def test_shards_cover_the_file_and_start_at_records(warc: Path) -> None:
    bounds = shard_bounds(warc, SMALL_SHARDS)
    assert len(bounds) > 2
    assert bounds[0][0] == 0 and bounds[-1][1] == warc.stat().st_size
    assert all(stop == start for (_, stop), (start, _) in zip(bounds, bounds[1:]))
    data = warc.read_bytes()
    for start, _ in bounds:
        assert zlib.decompressobj(31).decompress(data[start:start + 4096], 8) == b"WARC/1.0"


def test_sharded_read_on_two_processes_equals_one_sequential_read(warc: Path) -> None:
    sharded = list(discover_warc_files(warc, "s", FetchOptions(), True, workers=2, shard_bytes=SMALL_SHARDS))
    sequential = list(discover_warc(warc, "s", FetchOptions(), Prefilter()))
    assert isinstance(sharded[-1], ArchiveRead)
    assert _comparable(sharded[:-1]) == _comparable(sequential)
    assert sum(t.records_seen for t in sharded if isinstance(t, ArchiveTally)) == SPEC.records


def test_files_read_whole_are_skipped_until_they_change(warc: Path, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    os.link(warc, inbox / "a.warc.gz")
    sources = tmp_path / "sources.yaml"
    sources.write_text(f"sources:\n  - name: s\n    kind: warc\n    path: {inbox}\n", encoding="utf-8")
    config, warehouse = load_sources(sources), tmp_path / "w.duckdb"

    first = land_sources(config, warehouse, FetchOptions(), workers=2)
    assert first.archive_records == SPEC.records and first.pages > 0
    assert query(warehouse, "SELECT archive, size_bytes FROM raw.archive_files") == [
        (str(inbox / "a.warc.gz"), warc.stat().st_size)]

    assert land_sources(config, warehouse, FetchOptions(), workers=2).archive_records == 0

    write_warc(inbox / "b.warc.gz", SPEC, SPEC.records, 10, workers=1)  # a new file arrives
    assert land_sources(config, warehouse, FetchOptions(), workers=2).archive_records == 10

    os.utime(inbox / "a.warc.gz", ns=(1, 1))  # replaced by a file of the same name and size
    assert land_sources(config, warehouse, FetchOptions(), workers=2).archive_records == SPEC.records
