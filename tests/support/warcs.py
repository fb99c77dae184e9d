"""Small WARC files built in tests with warcio, for the archive readers (local, remote, CC-NEWS)."""

from __future__ import annotations

import io
from dataclasses import dataclass

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter


@dataclass(frozen=True)
class Record:
    """One archived HTTP response."""

    uri: str
    body: bytes
    date: str = "2024-10-10T12:00:00Z"
    status: str = "200 OK"
    content_type: str = "text/html; charset=utf-8"


def build_warc(records: list[Record], compress: bool = True) -> bytes:
    """A WARC with one response record per ``Record``, each followed by its request record."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=compress)
    for record in records:
        headers = StatusAndHeaders(record.status, [("Content-Type", record.content_type)], protocol="HTTP/1.1")
        dates = {"WARC-Date": record.date}
        writer.write_record(writer.create_warc_record(record.uri, "response", payload=io.BytesIO(record.body),
                                                      http_headers=headers, warc_headers_dict=dates))
        writer.write_record(writer.create_warc_record(record.uri, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n"),
                                                      warc_headers_dict=dates))
    return buffer.getvalue()
