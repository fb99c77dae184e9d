"""Live-fetched responses archived as WARC, so extraction and NLP can be redone without the network.

One gzipped WARC per run and day (``<root>/YYYY/MM/DD/<run>.warc.gz``), one gzip member per
record, flushed after each record: a crash cuts at most the record being written, and the
WARC reader keeps every record before the cut. WARC sources are archives already and are not
copied; the files can be landed again as a ``warc`` source.
"""

from __future__ import annotations

import io
from datetime import datetime, timezone
from pathlib import Path
from typing import BinaryIO

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from ingest.records import FetchedPage


class WarcArchive:
    """Appends responses to this run's WARC file, opened on the first page."""

    def __init__(self, root: Path, run_id: str) -> None:
        self._root = root
        self._run_id = run_id
        self._file: BinaryIO | None = None
        self._writer: WARCWriter | None = None
        self.path: Path | None = None
        self.records = 0

    def write(self, page: FetchedPage) -> None:
        """Append one response record (its HTTP status, content type and body)."""
        if self._writer is None:
            self.path = self._root / datetime.now(timezone.utc).strftime("%Y/%m/%d") / f"{self._run_id}.warc.gz"
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._file = self.path.open("ab")
            self._writer = WARCWriter(self._file, gzip=True)
        content_type = page.content_type + (f"; charset={page.charset}" if page.charset else "")
        http = StatusAndHeaders(f"{page.http_status} OK", [("Content-Type", content_type),
                                                           ("Content-Length", str(len(page.body)))],
                                protocol="HTTP/1.1")
        record = self._writer.create_warc_record(
            page.url, "response", payload=io.BytesIO(page.body), http_headers=http,
            warc_headers_dict={"WARC-Date": page.fetched_at.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")},
        )
        self._writer.write_record(record)
        self._file.flush()
        self.records += 1

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = self._writer = None
