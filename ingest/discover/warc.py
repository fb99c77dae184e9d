"""Discovery from web archives: each HTML ``response`` record of a WARC becomes a Candidate
that already carries its page, so it skips the network.

The file is streamed record by record (warcio's ArchiveIterator), so a multi-gigabyte WARC
costs one capped payload of memory. Remote WARCs are not read directly: download them to a
file first (a future ``Fetcher`` method can stream a download to disk under the same
network-safety rules, with its own size cap); WARC files are too large for a body held in memory.
"""

from __future__ import annotations

import gzip
import logging
import zlib
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.recordloader import ArcWarcRecord

from ingest.fetch import FetchOptions, parse_content_type
from ingest.fetch.safety import url_problem
from ingest.records import Candidate, FetchedPage, FetchFailure

logger = logging.getLogger(__name__)

_GZIP_MAGIC = b"\x1f\x8b"


class CorruptWarc(Exception):
    """The archive ends mid-record or its compression is damaged."""


class _StrictGzipReader:
    """Gzip reader that reports truncation instead of ending quietly, after handing out all it could.

    warcio treats an ``EOFError`` while reading record headers as a clean end of file, so a
    cut ``.warc.gz`` would look complete; re-raising as ``CorruptWarc`` makes it visible.
    ``read1`` returns what is decompressed so far, so records before the cut are still read.
    """

    def __init__(self, raw: BinaryIO) -> None:
        self._gzip = gzip.GzipFile(fileobj=raw, mode="rb")

    def read(self, size: int = -1) -> bytes:
        try:
            return self._gzip.read1(size)
        except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
            raise CorruptWarc(f"gzip: {exc}") from exc


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


def _read_response(record: ArcWarcRecord, uri: str, source_name: str,
                   options: FetchOptions) -> Candidate | FetchFailure:
    """Turn one http response record into a Candidate with its archived page, or a fetch failure."""
    fetched_at = _warc_date(record)
    status = int(record.http_headers.get_statuscode() or 0)
    media_type, charset = parse_content_type(record.http_headers.get_header("Content-Type"))

    def failure(reason: str) -> FetchFailure:
        return FetchFailure(source_name=source_name, url=uri, stage="fetch", reason=reason,
                            attempted_at=fetched_at, http_status=status)

    if not 200 <= status < 300:
        return failure(f"http_status: {status}")
    if media_type not in options.html_types:
        return failure(f"wrong_type: {media_type or 'missing'}")
    body = record.content_stream().read(options.max_body_bytes + 1)
    if len(body) > options.max_body_bytes:
        return failure(f"too_large: > {options.max_body_bytes} bytes")
    page = FetchedPage(source_name=source_name, url=uri, final_url=uri, fetched_at=fetched_at, http_status=status,
                       content_type=media_type, body=body, charset=charset)
    return Candidate(source_name=source_name, url=uri, discovered_at=datetime.now(timezone.utc), archived=page)


def _read_record(record: ArcWarcRecord, source_name: str, options: FetchOptions) -> Candidate | FetchFailure | None:
    uri = record.rec_headers.get_header("WARC-Target-URI")
    item = None
    if record.rec_type == "response" and record.http_headers is not None and uri and url_problem(uri) is None:
        item = _read_response(record, uri, source_name, options)
    _drain(record, uri)
    return item


def discover_warc(path: Path, source_name: str,
                  options: FetchOptions = FetchOptions()) -> Iterator[Candidate | FetchFailure]:
    """Yield the HTML pages of a ``.warc`` or ``.warc.gz`` file (gzip detected from its magic bytes).

    Non-2xx, non-HTML and oversized responses (``options.html_types`` / ``max_body_bytes``)
    become ``FetchFailure(stage="fetch")`` dated by their WARC-Date; request, metadata and
    non-http records are skipped. A file that ends mid-record or has damaged compression
    yields everything read before the damage, then one
    ``FetchFailure(stage="discover", reason="corrupt_warc: ...")``, and stops.
    """
    with path.open("rb") as raw:
        stream: BinaryIO | _StrictGzipReader = _StrictGzipReader(raw) if raw.read(2) == _GZIP_MAGIC else raw
        raw.seek(0)
        records = iter(ArchiveIterator(stream))
        while True:
            try:
                try:
                    record = next(records, None)
                except CorruptWarc:
                    raise
                except Exception as exc:  # warcio reports malformed input with assorted types
                    raise CorruptWarc(f"{type(exc).__name__}: {exc}") from exc
                if record is None:
                    return
                item = _read_record(record, source_name, options)
            except CorruptWarc as exc:
                logger.warning("%s is damaged: %s", path, exc)
                yield FetchFailure(source_name=source_name, url=str(path), stage="discover",
                                   reason=f"corrupt_warc: {exc}", attempted_at=datetime.now(timezone.utc))
                return
            if item is not None:
                yield item
