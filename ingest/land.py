"""Stage 1: discover every source's URLs, fetch what is new, land pages and failures in raw.

Discovery and fetching stream; rows are written in small batches, each in its own short
transaction, so a crash loses at most one batch and a reader is never blocked for long.
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from ingest.config import SourceSpec, SourcesConfig
from ingest.discover import (
    ArchiveRead,
    FeedState,
    Prefilter,
    discover_ccnews,
    discover_feed,
    discover_gdelt,
    discover_sitemap,
    discover_urls_file,
    discover_warc_files,
    discover_warc_url,
)
from ingest.archive import WarcArchive
from ingest.faults import pause_point
from ingest.fetch import FetchOptions, fetch_many
from ingest.landing import write_landed
from ingest.load import insert_rows
from ingest.records import ArchiveTally, Candidate, FetchedPage, FetchFailure
from ingest.urls import canonicalize_url, url_id
from ingest.warehouse import connect

logger = logging.getLogger(__name__)


@dataclass
class LandingReport:
    """What one landing pass did, for logs and asset metadata."""

    discovered: int = 0
    pages: int = 0
    skipped_already_fetched: int = 0
    archive_records: int = 0
    archive_records_prefiltered: int = 0
    failures: Counter[str] = field(default_factory=Counter)

    def as_metadata(self) -> dict[str, object]:
        return {
            "discovered": self.discovered,
            "pages_landed": self.pages,
            "skipped_already_fetched": self.skipped_already_fetched,
            "archive_records": self.archive_records,
            "archive_records_prefiltered": self.archive_records_prefiltered,
            "failures": sum(self.failures.values()),
            "failures_by_reason": dict(self.failures),
        }


def attempt_id(source_name: str, url: str, stage: str, attempted_at: object) -> str:
    """Deterministic id of one attempt, so re-reading an archive never adds it twice."""
    key = f"{source_name}\x1f{canonicalize_url(url)}\x1f{stage}\x1f{attempted_at}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _discovered_row(candidate: Candidate) -> dict[str, object]:
    return {
        "source_name": candidate.source_name,
        "url_id": url_id(candidate.url),
        "url": canonicalize_url(candidate.url),
        "discovered_at": candidate.discovered_at,
        "hint_title": candidate.hint_title,
        "hint_published": candidate.hint_published,
    }


def _page_rows(page: FetchedPage) -> tuple[dict[str, object], dict[str, object]]:
    page_row = {
        "page_id": url_id(page.url),
        "source_name": page.source_name,
        "url": canonicalize_url(page.url),
        "final_url": page.final_url,
        "fetched_at": page.fetched_at,
        "http_status": page.http_status,
        "content_type": page.content_type,
        "charset": page.charset,
        "body": page.body,
    }
    attempt_row = {
        "attempt_id": attempt_id(page.source_name, page.url, "fetch", page.fetched_at.isoformat()),
        "source_name": page.source_name,
        "url": canonicalize_url(page.url),
        "final_url": page.final_url,
        "stage": "fetch",
        "outcome": "ok",
        "reason": None,
        "http_status": page.http_status,
        "content_type": page.content_type,
        "body_bytes": len(page.body),
        "attempted_at": page.fetched_at,
    }
    return page_row, attempt_row


def _failure_row(failure: FetchFailure) -> dict[str, object]:
    return {
        "attempt_id": attempt_id(failure.source_name, failure.url, failure.stage, failure.attempted_at.isoformat()),
        "source_name": failure.source_name,
        "url": canonicalize_url(failure.url) if "://" in failure.url else failure.url,
        "final_url": None,
        "stage": failure.stage,
        "outcome": "failed",
        "reason": failure.reason,
        "http_status": failure.http_status,
        "content_type": None,
        "body_bytes": None,
        "attempted_at": failure.attempted_at,
    }


def _archive_row(read: ArchiveRead) -> dict[str, object]:
    return {"source_name": read.source_name, "archive": read.archive, "size_bytes": read.size_bytes,
            "mtime_ns": read.mtime_ns, "read_at": datetime.now(timezone.utc)}


def _tally_row(tally: ArchiveTally) -> dict[str, object]:
    return {
        "source_name": tally.source_name,
        "archive": tally.archive,
        "day": tally.day,
        "records_seen": tally.records_seen,
        "records_prefiltered": tally.records_prefiltered,
        "complete": tally.complete,
        "counted_at": datetime.now(timezone.utc),
    }


class _BatchWriter:
    """Collects raw rows per table and writes them in one short transaction per batch.

    With ``refetch`` a page replaces the stored one and the old page's extractions are
    deleted in the same transaction, so the parse stage extracts it again.
    """

    def __init__(self, warehouse: Path, report: LandingReport, batch_size: int, refetch: bool,
                 landing_dir: Path | None) -> None:
        self._warehouse = warehouse
        self._landing_dir = landing_dir
        self._report = report
        self._batch_size = batch_size
        self._refetch = refetch
        self._rows: dict[str, list[dict[str, object]]] = {"discovered_urls": [], "pages": [], "fetch_attempts": [],
                                                          "archive_files": []}
        # Counts are totals per (source, archive, day): the latest replaces, so a re-read never adds up twice.
        self._tallies: dict[tuple[str, str, object], dict[str, object]] = {}

    def add(self, item: Candidate | FetchedPage | FetchFailure | ArchiveTally | ArchiveRead) -> None:
        if isinstance(item, Candidate):
            self._rows["discovered_urls"].append(_discovered_row(item))
        elif isinstance(item, FetchedPage):
            page_row, attempt_row = _page_rows(item)
            self._rows["pages"].append(page_row)
            self._rows["fetch_attempts"].append(attempt_row)
        elif isinstance(item, ArchiveTally):
            self._tallies[(item.source_name, item.archive, item.day)] = _tally_row(item)
            self._report.archive_records += item.records_seen
            self._report.archive_records_prefiltered += item.records_prefiltered
        elif isinstance(item, ArchiveRead):
            self._rows["archive_files"].append(_archive_row(item))
        else:
            self._rows["fetch_attempts"].append(_failure_row(item))
            self._report.failures[item.reason.split(":", 1)[0]] += 1
        if sum(len(rows) for rows in self._rows.values()) >= self._batch_size:
            self.flush()

    def flush(self) -> None:
        if not any(self._rows.values()) and not self._tallies:
            return
        if self._landing_dir is not None:
            write_landed(self._landing_dir, {**self._rows, "pages_seen": list(self._tallies.values())})
            self._report.discovered += len(self._rows["discovered_urls"])
            self._report.pages += len(self._rows["pages"])
        else:
            self._write(self._rows, list(self._tallies.values()))
        for rows in self._rows.values():
            rows.clear()
        self._tallies.clear()

    def _write(self, rows: dict[str, list[dict[str, object]]], tallies: list[dict[str, object]]) -> None:
        with connect(self._warehouse) as con:
            con.begin()
            self._report.discovered += insert_rows(con, "discovered_urls", rows["discovered_urls"])
            self._report.pages += self._insert_pages(con, rows["pages"])
            insert_rows(con, "fetch_attempts", rows["fetch_attempts"])
            insert_rows(con, "pages_seen", tallies, replace=True)
            insert_rows(con, "archive_files", rows["archive_files"], replace=True)
            pause_point("load")
            con.commit()

    def _insert_pages(self, con: duckdb.DuckDBPyConnection, rows: list[dict[str, object]]) -> int:
        if not self._refetch:
            return insert_rows(con, "pages", rows)
        latest = list({row["page_id"]: row for row in rows}.values())  # one row per key in a replacing insert
        if latest:
            con.execute("DELETE FROM raw.extractions WHERE page_id IN (SELECT unnest(?::VARCHAR[]))",
                        [[row["page_id"] for row in latest]])
        insert_rows(con, "pages", latest, replace=True)
        return len(latest)


@dataclass
class _RunState:
    """What discovery reads from earlier runs: feed validators, and CC-NEWS files already read."""

    feeds: dict[str, FeedState] = field(default_factory=dict)
    archives_read: dict[str, set[str]] = field(default_factory=dict)  # by source name
    files_read: frozenset[ArchiveRead] = frozenset()  # local WARC files read whole, as they were then


def _discover(spec: SourceSpec, options: FetchOptions, state: _RunState,
              workers: int) -> Iterator[Candidate | FetchFailure | ArchiveTally | ArchiveRead]:
    prefilter = Prefilter() if spec.use_prefilter else None
    if spec.kind == "warc" and spec.path is not None:
        return discover_warc_files(spec.path, spec.name, options, spec.use_prefilter, workers=workers,
                                   skip=state.files_read)
    if spec.kind == "warc":
        return discover_warc_url(spec.url, spec.name, options, prefilter)
    if spec.kind == "urls":
        return discover_urls_file(spec.path, spec.name)
    if spec.kind == "rss":
        return discover_feed(spec.url, spec.name, options, state.feeds.setdefault(spec.url, FeedState()))
    if spec.kind == "sitemap":
        return discover_sitemap(spec.url, spec.name, options, spec.since, state.feeds)
    if spec.kind == "gdelt":
        return discover_gdelt(spec.name, spec.query, spec.start, spec.end, options, sourcelang=spec.sourcelang,
                              domain=spec.domain, base_url=spec.base_url, min_interval=spec.min_interval)
    if spec.kind == "ccnews":
        return discover_ccnews(spec.name, spec.start, spec.end, options, base_url=spec.base_url,
                               max_files=spec.max_files, prefilter=prefilter,
                               skip=state.archives_read.get(spec.name, set()))
    raise ValueError(f"unknown source kind {spec.kind!r}")


def _already_fetched(warehouse: Path, read_only: bool) -> set[str]:
    if read_only and not warehouse.exists():
        return set()
    with connect(warehouse, read_only=read_only) as con:
        return {row[0] for row in con.execute("SELECT page_id FROM raw.pages").fetchall()}


def _load_run_state(warehouse: Path, read_only: bool) -> _RunState:
    if read_only and not warehouse.exists():
        return _RunState()
    with connect(warehouse, read_only=read_only) as con:
        feeds = con.execute("SELECT url, etag, last_modified FROM raw.feed_state").fetchall()
        archives = con.execute(
            "SELECT source_name, archive FROM raw.pages_seen GROUP BY ALL HAVING bool_and(complete)"
        ).fetchall()
        files = con.execute("SELECT source_name, archive, size_bytes, mtime_ns FROM raw.archive_files").fetchall()
    state = _RunState(feeds={url: FeedState(etag, last_modified) for url, etag, last_modified in feeds},
                      files_read=frozenset(ArchiveRead(*row) for row in files))
    for source_name, archive in archives:
        state.archives_read.setdefault(source_name, set()).add(archive)
    return state


def _save_feed_state(warehouse: Path, feeds: dict[str, FeedState], landing_dir: Path | None) -> None:
    """Store validators once the run's pages are landed: a crash before must not turn new entries into 304s."""
    now = datetime.now(timezone.utc)
    rows = [{"url": url, "etag": s.etag, "last_modified": s.last_modified, "updated_at": now}
            for url, s in feeds.items() if s.etag or s.last_modified]
    if landing_dir is not None:
        write_landed(landing_dir, {"feed_state": rows})
        return
    with connect(warehouse) as con:
        insert_rows(con, "feed_state", rows, replace=True)


def land_sources(
    config: SourcesConfig,
    warehouse: Path,
    options: FetchOptions,
    *,
    refetch: bool = False,
    batch_size: int = 500,
    archive: WarcArchive | None = None,
    workers: int = 1,
    landing_dir: Path | None = None,
) -> LandingReport:
    """Discover all sources, fetch new live URLs, and land pages and failures in raw tables.

    With an ``archive``, every live-fetched page is also appended to its WARC before it is landed.
    Local WARC files are read on ``workers`` processes; files read whole before are skipped.
    With a ``landing_dir`` the warehouse is only read, and rows go to Parquet files there for
    ``ingest.landing.load_landed``: several landing runs may then work at once (not with ``refetch``).
    """
    if refetch and landing_dir is not None:
        raise ValueError("refetch replaces pages in the warehouse: it cannot land into a landing folder")
    report = LandingReport()
    writer = _BatchWriter(warehouse, report, batch_size, refetch, landing_dir)
    read_only = landing_dir is not None
    fetched = set() if refetch else _already_fetched(warehouse, read_only)
    state = _RunState() if refetch else _load_run_state(warehouse, read_only)
    to_fetch: list[Candidate] = []
    queued: set[str] = set()
    for spec in config.sources:
        logger.info("discovering source %s (%s: %s)", spec.name, spec.kind, spec.location)
        for item in _discover(spec, options, state, workers):
            writer.add(item)
            if not isinstance(item, Candidate):
                continue
            if item.archived is not None:
                writer.add(item.archived)
                continue
            key = url_id(item.url)
            if key in fetched:
                report.skipped_already_fetched += 1
            elif key not in queued:
                queued.add(key)
                # Fetch the canonical spelling: tracking parameters and fragments only cost requests.
                to_fetch.append(replace(item, url=canonicalize_url(item.url)))
    writer.flush()
    for result in _fetch(to_fetch, options):
        if isinstance(result, FetchedPage) and archive is not None:
            archive.write(result)
        writer.add(result)
        pause_point("fetch")
    writer.flush()
    _save_feed_state(warehouse, state.feeds, landing_dir)
    logger.info("landing done: %s", report.as_metadata())
    return report


def _fetch(candidates: list[Candidate], options: FetchOptions) -> Iterable[FetchedPage | FetchFailure]:
    if not candidates:
        return ()
    logger.info("fetching %d new URLs", len(candidates))
    return fetch_many(candidates, options)
