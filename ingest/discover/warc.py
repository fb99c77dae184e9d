"""Discovery from web archives: each HTML ``response`` record of a WARC becomes a Candidate
that already carries its page, so it skips the network.

Local files and remote ones (``http(s)`` URLs, CC-NEWS) go through one reader, record by
record (warcio's ArchiveIterator), so a multi-gigabyte WARC costs one capped payload of
memory. A remote WARC is streamed through the safe client with no cap on its total size
(records are capped one by one by ``max_body_bytes``), and is never written to disk.
An optional keyword pre-filter drops off-topic records before they become pages; every
archive reports how many records it held per day (``ArchiveTally``).
"""

from __future__ import annotations

import logging
import zlib
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime, timezone
from pathlib import Path
from typing import BinaryIO

from isal import isal_zlib
from warcio.archiveiterator import ArchiveIterator
from warcio.recordloader import ArcWarcRecord

from ingest.fetch import FetchError, FetchOptions, parse_content_type
from ingest.fetch.safety import url_problem
from ingest.fetch.stream import open_stream
from ingest.records import ArchiveTally, Candidate, FetchedPage, FetchFailure

from .prefilter import Prefilter

logger = logging.getLogger(__name__)

_GZIP_MAGIC = b"\x1f\x8b"
_GZIP_WBITS = 31  # gzip header and trailer
_CHUNK = 1 << 16


class CorruptWarc(Exception):
    """The archive ends mid-record or its compression is damaged."""


class StrictGzipReader:
    """Gzip reader that reports truncation instead of ending quietly, after handing out all it could.

    warcio treats an ``EOFError`` while reading record headers as a clean end of file, so a
    cut ``.warc.gz`` would look complete; raising ``CorruptWarc`` makes it visible. Members are
    inflated one at a time and what a member holds is returned before the next is touched, so
    every record before a cut or a damaged member is still read. Inflating is ISA-L's
    (``isal_zlib``, zlib's format and checks, the gzip trailer's CRC included): it is most of
    what reading an archive costs, and ISA-L needs a little over half of zlib's time.
    """

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        self._member = isal_zlib.decompressobj(_GZIP_WBITS)
        self._input = b""  # compressed bytes read but not yet inflated
        self._in_member = False  # part of the current member has been inflated

    def read(self, size: int = -1) -> bytes:
        limit = size if size > 0 else _CHUNK
        while True:
            if not self._input:
                self._input = self._raw.read(_CHUNK)
                if not self._input:
                    if self._in_member:
                        raise CorruptWarc("gzip: the file ends inside a compressed member")
                    return b""
            try:
                out = self._member.decompress(self._input, limit)
            except (isal_zlib.error, zlib.error) as exc:
                raise CorruptWarc(f"gzip: {exc}") from exc
            self._in_member = True
            if self._member.eof:  # the next member, if any, starts in what this one left
                self._input = self._member.unused_data
                self._member = isal_zlib.decompressobj(_GZIP_WBITS)
                self._in_member = False
            else:
                self._input = self._member.unconsumed_tail
            if out:
                return out


def _warc_date(record: ArcWarcRecord) -> datetime:
    value = record.rec_headers.get_header("WARC-Date") or ""
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        logger.warning("record %s has no valid WARC-Date (%r); using now",
                       record.rec_headers.get_header("WARC-Record-ID"), value)
        return datetime.now(timezone.utc)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def _drain(record: ArcWarcRecord, uri: str | None) -> None:
    """Read the rest of the record block and fail if the file ended before its Content-Length."""
    while record.raw_stream.read(1 << 16):
        pass
    missing = getattr(record.raw_stream, "limit", 0)
    if missing > 0:
        raise CorruptWarc(f"record {uri or '?'} truncated, {missing} bytes missing")


class _Tally:
    """Response records seen and pre-filtered away, per WARC-Date day."""

    def __init__(self) -> None:
        self.seen: Counter[date] = Counter()
        self.prefiltered: Counter[date] = Counter()

    def rows(self, source_name: str, archive: str, complete: bool) -> Iterator[ArchiveTally]:
        for day in sorted(self.seen):
            yield ArchiveTally(source_name=source_name, archive=archive, day=day, records_seen=self.seen[day],
                               records_prefiltered=self.prefiltered[day], complete=complete)


def _read_response(record: ArcWarcRecord, uri: str, source_name: str, options: FetchOptions,
                   prefilter: Prefilter | None, tally: _Tally) -> Candidate | FetchFailure | None:
    """Turn one http response record into a Candidate with its archived page, a fetch failure,
    or nothing when the pre-filter finds none of the topic's terms in it."""
    fetched_at = _warc_date(record)
    status = int(record.http_headers.get_statuscode() or 0)
    media_type, charset = parse_content_type(record.http_headers.get_header("Content-Type"))
    tally.seen[fetched_at.date()] += 1

    def failure(reason: str) -> FetchFailure:
        return FetchFailure(source_name=source_name, url=uri, stage="fetch", reason=reason,
                            attempted_at=fetched_at, http_status=status)

    body = b""
    if prefilter is not None:
        body = record.content_stream().read(options.max_body_bytes + 1)
        if not prefilter.may_match(body, charset):
            tally.prefiltered[fetched_at.date()] += 1
            return None
    if not 200 <= status < 300:
        return failure(f"http_status: {status}")
    if media_type not in options.html_types:
        return failure(f"wrong_type: {media_type or 'missing'}")
    body = body or record.content_stream().read(options.max_body_bytes + 1)
    if len(body) > options.max_body_bytes:
        return failure(f"too_large: > {options.max_body_bytes} bytes")
    page = FetchedPage(source_name=source_name, url=uri, final_url=uri, fetched_at=fetched_at, http_status=status,
                       content_type=media_type, body=body, charset=charset)
    return Candidate(source_name=source_name, url=uri, discovered_at=datetime.now(timezone.utc), archived=page)


def _read_record(record: ArcWarcRecord, source_name: str, options: FetchOptions, prefilter: Prefilter | None,
                 tally: _Tally) -> Candidate | FetchFailure | None:
    uri = record.rec_headers.get_header("WARC-Target-URI")
    item = None
    if record.rec_type == "response" and record.http_headers is not None and uri and url_problem(uri) is None:
        item = _read_response(record, uri, source_name, options, prefilter, tally)
    _drain(record, uri)
    return item


def _next_record(records: Iterator[ArcWarcRecord]) -> ArcWarcRecord | None:
    try:
        return next(records, None)
    except (CorruptWarc, FetchError):
        raise
    except Exception as exc:  # warcio reports malformed input with assorted types
        raise CorruptWarc(f"{type(exc).__name__}: {exc}") from exc


def read_warc(stream: BinaryIO, archive: str, source_name: str, options: FetchOptions,
              prefilter: Prefilter | None = None) -> Iterator[Candidate | FetchFailure | ArchiveTally]:
    """Yield the HTML pages of a ``.warc`` or ``.warc.gz`` stream (gzip sniffed with ``peek``).

    Non-2xx, non-HTML and oversized responses (``options.html_types`` / ``max_body_bytes``)
    become ``FetchFailure(stage="fetch")`` dated by their WARC-Date; request, metadata and
    non-http records are skipped. With a ``prefilter``, response records without any topic
    term are dropped before those checks and only counted. A stream that ends mid-record,
    has damaged compression or breaks off (network) yields everything read before, then one
    ``FetchFailure(stage="discover")`` naming ``archive``, and stops. Last come the archive's
    ``ArchiveTally`` rows, one per day, marked incomplete after such a failure.
    """
    tally = _Tally()
    complete = False
    try:
        gzipped = stream.peek(2)[:2] == _GZIP_MAGIC  # type: ignore[attr-defined]
        records = iter(ArchiveIterator(StrictGzipReader(stream) if gzipped else stream))
        while (record := _next_record(records)) is not None:
            item = _read_record(record, source_name, options, prefilter, tally)
            if item is not None:
                yield item
        complete = True
    except CorruptWarc as exc:
        logger.warning("%s is damaged: %s", archive, exc)
        yield FetchFailure(source_name=source_name, url=archive, stage="discover", reason=f"corrupt_warc: {exc}",
                           attempted_at=datetime.now(timezone.utc))
    except FetchError as exc:
        logger.warning("%s broke off: %s", archive, exc.reason)
        yield FetchFailure(source_name=source_name, url=archive, stage="discover", reason=exc.reason,
                           attempted_at=datetime.now(timezone.utc), http_status=exc.http_status)
    yield from tally.rows(source_name, archive, complete)


def discover_warc(path: Path, source_name: str, options: FetchOptions = FetchOptions(),
                  prefilter: Prefilter | None = None) -> Iterator[Candidate | FetchFailure | ArchiveTally]:
    """Yield the pages of a local WARC file, as ``read_warc`` describes."""
    with path.open("rb") as raw:
        yield from read_warc(raw, str(path), source_name, options, prefilter)


def discover_warc_url(url: str, source_name: str, options: FetchOptions,
                      prefilter: Prefilter | None = None) -> Iterator[Candidate | FetchFailure | ArchiveTally]:
    """Yield the pages of a WARC streamed from ``url`` through the safe client, as ``read_warc`` describes.

    A request that gets no 2xx answer yields one ``FetchFailure(stage="discover")``.
    """
    try:
        with open_stream(url, options) as (head, body):
            if not 200 <= head.status < 300:
                logger.warning("WARC %s: http status %d", url, head.status)
                yield FetchFailure(source_name=source_name, url=url, stage="discover",
                                   reason=f"http_status: {head.status}", attempted_at=head.fetched_at,
                                   http_status=head.status)
                return
            yield from read_warc(body, url, source_name, options, prefilter)
    except FetchError as exc:
        logger.warning("WARC %s: %s", url, exc.reason)
        yield FetchFailure(source_name=source_name, url=url, stage="discover", reason=exc.reason,
                           attempted_at=datetime.now(timezone.utc), http_status=exc.http_status)
