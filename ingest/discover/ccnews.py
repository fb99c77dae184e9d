"""Discovery from Common Crawl's CC-NEWS: the WARC files of a date range, streamed over HTTP.

Each month's ``crawl-data/CC-NEWS/YYYY/MM/warc.paths.gz`` lists that month's files, named
``CC-NEWS-YYYYMMDDHHMMSS-NNNNN.warc.gz`` after the time they were started. Files of the range
are streamed one after the other through the shared WARC reader (about 1 GB each, never held
whole); the keyword pre-filter keeps the mostly off-topic records cheap.
"""

from __future__ import annotations

import logging
import re
import zlib
from collections.abc import Collection, Iterator
from datetime import date, datetime, timezone
from urllib.parse import urljoin

from ingest.fetch import FetchError, FetchOptions, get_once
from ingest.records import ArchiveTally, Candidate, FetchFailure

from .prefilter import Prefilter
from .warc import discover_warc_url

logger = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://data.commoncrawl.org/"
_FILE_NAME = re.compile(r"CC-NEWS-(\d{8})\d{6}-\d+\.warc\.gz$")
_MAX_PATHS_BYTES = 64 * 1024 * 1024  # a month lists about 600 files (~60 KB); guards against a gzip bomb


def _months(start: date, end: date) -> Iterator[tuple[int, int]]:
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        yield year, month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _file_day(path: str) -> date | None:
    match = _FILE_NAME.search(path)
    if match is None:
        return None
    try:
        return datetime.strptime(match.group(1), "%Y%m%d").date()
    except ValueError:
        return None


def _paths_url(base_url: str, year: int, month: int) -> str:
    return urljoin(base_url, f"crawl-data/CC-NEWS/{year:04d}/{month:02d}/warc.paths.gz")


def _month_files(base_url: str, paths_url: str, start: date, end: date, options: FetchOptions) -> list[str]:
    """URLs of the files listed at ``paths_url`` whose name falls in [start, end]; raises ``FetchError``."""
    response = get_once(paths_url, options)
    if not 200 <= response.status < 300:
        raise FetchError(f"http_status: {response.status}", http_status=response.status)
    try:
        listing = zlib.decompressobj(wbits=47).decompress(response.body, _MAX_PATHS_BYTES)  # gzip or zlib
    except zlib.error as exc:
        raise FetchError(f"invalid_paths: {exc}", http_status=response.status) from exc
    files = []
    for line in listing.decode("utf-8", errors="replace").splitlines():
        day = _file_day(line.strip())
        if day is not None and start <= day <= end:
            files.append(urljoin(base_url, line.strip()))
    return sorted(files)


def discover_ccnews(source_name: str, start: date, end: date, options: FetchOptions, *,
                    base_url: str | None = None, max_files: int | None = None, prefilter: Prefilter | None = None,
                    skip: Collection[str] = ()) -> Iterator[Candidate | FetchFailure | ArchiveTally]:
    """Yield the archived pages of the CC-NEWS files named for days ``start`` to ``end``.

    Files in ``skip`` (read to their end by an earlier run) are passed over, and at most
    ``max_files`` files are read, oldest first. A month whose paths file cannot be had yields
    one ``FetchFailure(stage="discover")``; a file is read as ``read_warc`` describes.
    """
    base = (base_url or DEFAULT_BASE_URL).rstrip("/") + "/"
    budget = max_files
    for year, month in _months(start, end):
        paths_url = _paths_url(base, year, month)
        try:
            files = _month_files(base, paths_url, start, end, options)
        except FetchError as exc:
            logger.warning("CC-NEWS %04d-%02d: no file list (%s)", year, month, exc.reason)
            yield FetchFailure(source_name=source_name, url=paths_url, stage="discover", reason=exc.reason,
                               attempted_at=datetime.now(timezone.utc), http_status=exc.http_status)
            continue
        todo = [url for url in files if url not in skip]
        logger.info("CC-NEWS %04d-%02d: %d files in range, %d already read", year, month, len(files),
                    len(files) - len(todo))
        for url in todo:
            if budget is not None and budget <= 0:
                logger.info("CC-NEWS: max_files reached")
                return
            if budget is not None:
                budget -= 1
            logger.info("CC-NEWS: streaming %s", url)
            yield from discover_warc_url(url, source_name, options, prefilter)
