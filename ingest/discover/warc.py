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
from dataclasses import dataclass
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
# A pre-filter batch: enough pages to amortize the automaton's set-up, few bytes held.
_SIEVE_PAGES = 32
_SIEVE_BYTES = 8 * 1024 * 1024


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


@dataclass(slots=True)
class _Response:
    """An http response record as read: what deciding its fate needs, the record itself already drained."""

    uri: str
    fetched_at: datetime
    status: int
    media_type: str | None
    charset: str | None
    body: bytes


def _failure(response: _Response, source_name: str, reason: str) -> FetchFailure:
    return FetchFailure(source_name=source_name, url=response.uri, stage="fetch", reason=reason,
                        attempted_at=response.fetched_at, http_status=response.status)


def _outcome(response: _Response, source_name: str, options: FetchOptions) -> Candidate | FetchFailure:
    """A Candidate carrying the archived page, or why the response cannot be one."""
    if not 200 <= response.status < 300:
        return _failure(response, source_name, f"http_status: {response.status}")
    if response.media_type not in options.html_types:
        return _failure(response, source_name, f"wrong_type: {response.media_type or 'missing'}")
    if len(response.body) > options.max_body_bytes:
        return _failure(response, source_name, f"too_large: > {options.max_body_bytes} bytes")
    page = FetchedPage(source_name=source_name, url=response.uri, final_url=response.uri,
                       fetched_at=response.fetched_at, http_status=response.status,
                       content_type=response.media_type, body=response.body, charset=response.charset)
    return Candidate(source_name=source_name, url=response.uri, discovered_at=datetime.now(timezone.utc),
                     archived=page)


def _responses(records: Iterator[ArcWarcRecord], options: FetchOptions, read_every_body: bool,
               tally: _Tally) -> Iterator[_Response]:
    """Every http response record with a safe URL, its body read (capped) if it may be needed.

    Without a pre-filter, a body is only read when the response can become a page; with one,
    every body is, since the filter looks at it before the status and type are judged.
    """
    while (record := _next_record(records)) is not None:
        uri = record.rec_headers.get_header("WARC-Target-URI")
        response = None
        if record.rec_type == "response" and record.http_headers is not None and uri and url_problem(uri) is None:
            media_type, charset = parse_content_type(record.http_headers.get_header("Content-Type"))
            response = _Response(uri, _warc_date(record), int(record.http_headers.get_statuscode() or 0),
                                 media_type, charset, b"")
            tally.seen[response.fetched_at.date()] += 1
            if read_every_body or (200 <= response.status < 300 and media_type in options.html_types):
                response.body = record.content_stream().read(options.max_body_bytes + 1)
        _drain(record, uri)
        if response is not None:
            yield response


def _next_record(records: Iterator[ArcWarcRecord]) -> ArcWarcRecord | None:
    try:
        return next(records, None)
    except (CorruptWarc, FetchError):
        raise
    except Exception as exc:  # warcio reports malformed input with assorted types
        raise CorruptWarc(f"{type(exc).__name__}: {exc}") from exc


class _Sieve:
    """Responses held until a batch is full, then judged by the pre-filter together.

    The pre-filter is several times cheaper per page on a batch (``Prefilter.may_match_many``);
    a batch is bounded in pages and in body bytes, so what it holds stays small.
    """

    def __init__(self, prefilter: Prefilter, tally: _Tally) -> None:
        self._prefilter = prefilter
        self._tally = tally
        self._held: list[_Response] = []
        self._held_bytes = 0

    def add(self, response: _Response) -> list[_Response]:
        """Hold ``response``; the batch's responses that may be on topic once it is full, else []."""
        self._held.append(response)
        self._held_bytes += len(response.body)
        full = len(self._held) >= _SIEVE_PAGES or self._held_bytes >= _SIEVE_BYTES
        return self.flush() if full else []

    def flush(self) -> list[_Response]:
        """The held responses that may be on topic; the others are counted as pre-filtered."""
        held, self._held, self._held_bytes = self._held, [], 0
        kept = []
        for response, keep in zip(held, self._prefilter.may_match_many([(r.body, r.charset) for r in held])):
            if keep:
                kept.append(response)
            else:
                self._tally.prefiltered[response.fetched_at.date()] += 1
        return kept


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
    sieve = _Sieve(prefilter, tally) if prefilter is not None else None
    complete, broken = False, None
    try:
        gzipped = stream.peek(2)[:2] == _GZIP_MAGIC  # type: ignore[attr-defined]
        records = iter(ArchiveIterator(StrictGzipReader(stream) if gzipped else stream))
        for response in _responses(records, options, sieve is not None, tally):
            for kept in sieve.add(response) if sieve is not None else [response]:
                yield _outcome(kept, source_name, options)
        complete = True
    except CorruptWarc as exc:
        logger.warning("%s is damaged: %s", archive, exc)
        broken = FetchFailure(source_name=source_name, url=archive, stage="discover", reason=f"corrupt_warc: {exc}",
                              attempted_at=datetime.now(timezone.utc))
    except FetchError as exc:
        logger.warning("%s broke off: %s", archive, exc.reason)
        broken = FetchFailure(source_name=source_name, url=archive, stage="discover", reason=exc.reason,
                              attempted_at=datetime.now(timezone.utc), http_status=exc.http_status)
    for kept in sieve.flush() if sieve is not None else []:
        yield _outcome(kept, source_name, options)
    if broken is not None:
        yield broken
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
