"""Local WARC files read on every core, and files already read whole skipped.

Reading and decompressing a CC-NEWS file is the one cost every record pays, and one gzip
stream only decompresses on one core. A ``.warc.gz`` is a chain of gzip members, one per
record, so a file can be cut at member starts into byte ranges ("shards") that worker
processes read independently with the ordinary reader (``read_warc``). Shards are small
(``SHARD_BYTES``) so a worker holds little, the pool stays busy to the end and memory does
not grow with the file. Only the pages the pre-filter keeps travel back to the parent.

A file is known by its path, size and modification time: once read to its end it is
recorded (``ArchiveRead``) and skipped by later runs unless it changes.
"""

from __future__ import annotations

import io
import zlib
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass, replace
from pathlib import Path

from ingest.fetch import FetchOptions
from ingest.parallel import process_pool
from ingest.records import ArchiveTally, Candidate, FetchFailure

from .prefilter import Prefilter
from .warc import read_warc

WARC_SUFFIXES = (".warc", ".warc.gz")
SHARD_BYTES = 32 * 1024 * 1024
_MEMBER_MAGIC = b"\x1f\x8b\x08"
_SEARCH_WINDOW = 1 << 20


@dataclass(frozen=True, slots=True)
class ArchiveRead:
    """A local WARC file read to its end, as it was when read (its identity for skipping)."""

    source_name: str
    archive: str
    size_bytes: int
    mtime_ns: int


def warc_files(path: Path) -> list[Path]:
    """The WARC files of a source: the file itself, or a folder's ``*.warc``/``*.warc.gz`` by name."""
    if not path.is_dir():
        return [path]
    return sorted(p for p in path.iterdir()
                  if p.is_file() and not p.name.startswith(".") and p.name.endswith(WARC_SUFFIXES))


def identity(source_name: str, path: Path) -> ArchiveRead:
    """The file as it is before reading: if it grows or is replaced meanwhile, the next run reads it again."""
    stat = path.stat()
    return ArchiveRead(source_name, str(path), stat.st_size, stat.st_mtime_ns)


def _is_member_start(data: bytes) -> bool:
    """Whether ``data`` starts a gzip member whose content starts a WARC record."""
    try:
        head = zlib.decompressobj(31).decompress(data[:4096], 16)
    except zlib.error:
        return False
    return head.startswith(b"WARC/")


def _next_member(handle: io.BufferedReader, offset: int, size: int) -> int:
    """The first gzip member starting at or after ``offset`` (``size`` if none)."""
    while offset < size:
        handle.seek(offset)
        data = handle.read(_SEARCH_WINDOW + 4096)
        at = data.find(_MEMBER_MAGIC)
        while 0 <= at < _SEARCH_WINDOW:
            if _is_member_start(data[at:]):
                return offset + at
            at = data.find(_MEMBER_MAGIC, at + 1)
        offset += _SEARCH_WINDOW
    return size


def shard_bounds(path: Path, shard_bytes: int = SHARD_BYTES) -> list[tuple[int, int]]:
    """Byte ranges covering ``path``, each starting at a record's gzip member (one range if not gzipped)."""
    size = path.stat().st_size
    with path.open("rb") as handle:
        if handle.read(2) != _MEMBER_MAGIC[:2] or size <= shard_bytes:
            return [(0, size)]
        starts = [0]
        while (nxt := _next_member(handle, starts[-1] + shard_bytes, size)) < size:
            starts.append(nxt)
    return list(zip(starts, [*starts[1:], size]))


class _Range(io.RawIOBase):
    """Bytes ``start`` to ``stop`` of a file, as a stream of their own."""

    def __init__(self, path: Path, start: int, stop: int) -> None:
        self._handle = path.open("rb")
        self._handle.seek(start)
        self._left = stop - start

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        count = self._handle.readinto(memoryview(buffer)[: min(len(buffer), self._left)])
        self._left -= count
        return count

    def close(self) -> None:
        self._handle.close()
        super().close()


def read_shard(path: Path, bounds: tuple[int, int], source_name: str, options: FetchOptions,
               use_prefilter: bool) -> list[Candidate | FetchFailure | ArchiveTally]:
    """What ``read_warc`` yields for one shard; runs in a worker process."""
    with io.BufferedReader(_Range(path, *bounds), 1 << 20) as stream:
        return list(read_warc(stream, str(path), source_name, options, Prefilter() if use_prefilter else None))


def _merged(tallies: Iterable[ArchiveTally]) -> list[ArchiveTally]:
    """One tally per day for a whole file: its shards' counts summed, complete only if all were."""
    days: dict[object, ArchiveTally] = {}
    for tally in tallies:
        seen = days.get(tally.day)
        days[tally.day] = tally if seen is None else replace(
            seen, records_seen=seen.records_seen + tally.records_seen,
            records_prefiltered=seen.records_prefiltered + tally.records_prefiltered,
            complete=seen.complete and tally.complete)
    return [days[day] for day in sorted(days)]


def discover_warc_files(
    path: Path, source_name: str, options: FetchOptions, use_prefilter: bool, *,
    workers: int = 1, skip: frozenset[ArchiveRead] = frozenset(), shard_bytes: int = SHARD_BYTES,
) -> Iterator[Candidate | FetchFailure | ArchiveTally | ArchiveRead]:
    """Yield the pages of every WARC file at ``path`` (a file or a folder) not in ``skip``, read on
    ``workers`` processes, in file order: per file what ``read_warc`` yields, its tallies merged
    over its shards, then an ``ArchiveRead`` if it was read to its end."""
    files = [(p, identity(source_name, p)) for p in warc_files(path)]
    shards = [(p, ident, bounds, i == len(b) - 1)
              for p, ident in files if ident not in skip
              for b in [shard_bounds(p, shard_bytes)] for i, bounds in enumerate(b)]
    tallies: list[ArchiveTally] = []
    if workers < 2 or len(shards) < 2:  # one shard (a small new file): no pool to start
        for p, ident, bounds, last in shards:
            yield from _shard_items(ident, last, read_shard(p, bounds, source_name, options, use_prefilter), tallies)
        return
    with process_pool(workers) as pool:
        pending: deque[tuple[ArchiveRead, bool, Future]] = deque()
        for p, ident, bounds, last in shards:
            pending.append((ident, last, pool.submit(read_shard, p, bounds, source_name, options, use_prefilter)))
            if len(pending) >= 2 * workers:
                ident, last, future = pending.popleft()
                yield from _shard_items(ident, last, future.result(), tallies)
        while pending:
            ident, last, future = pending.popleft()
            yield from _shard_items(ident, last, future.result(), tallies)


def _shard_items(ident: ArchiveRead, last: bool, items: list[Candidate | FetchFailure | ArchiveTally],
                 tallies: list[ArchiveTally]) -> Iterator[Candidate | FetchFailure | ArchiveTally | ArchiveRead]:
    """A shard's items; after a file's last shard, its merged tallies and, if whole, its identity."""
    for item in items:
        if isinstance(item, ArchiveTally):
            tallies.append(item)
        else:
            yield item
    if last:
        merged = _merged(tallies)
        tallies.clear()
        yield from merged
        if all(t.complete for t in merged):
            yield ident
