"""Discovery from URL lists, feeds (over loopback HTTP) and WARC files built in the test."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from ingest.discover import FeedState, discover_feed, discover_urls_file, discover_warc
from ingest.fetch import FetchOptions
from ingest.records import ArchiveTally, Candidate, FetchFailure
from tests.support.http_server import FixtureServer, Reply, Seen

FAST = FetchOptions(allow_private_addresses=True, connect_timeout=1, read_timeout=1, total_timeout=5,
                    per_host_delay=0, retries=1, backoff_base=0.01, backoff_max=0.05)

RSS2 = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Wire</title><link>https://news.example/</link>
<item><title>Kim visits Vladivostok</title><link>https://news.example/a1</link>
  <pubDate>Tue, 12 Sep 2023 10:00:00 +0300</pubDate></item>
<item><title>Shells shipped</title><link>https://news.example/a2</link></item>
</channel></rss>"""

RSS1 = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
         xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://news.example/"><title>Wire</title><link>https://news.example/</link></channel>
<item rdf:about="https://news.example/r1"><title>Treaty ratified</title><link>https://news.example/r1</link>
  <dc:date>2024-06-19T08:30:00Z</dc:date></item>
</rdf:RDF>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Desk</title><id>urn:x</id><updated>2024-11-01T00:00:00Z</updated>
<entry><title>Troops in Kursk</title><id>urn:1</id>
  <link rel="alternate" href="https://desk.example/kursk"/><link rel="enclosure" href="https://desk.example/k.mp3"/>
  <updated>2024-11-01T09:15:00+09:00</updated></entry>
<entry><title>No link here</title><id>urn:2</id><updated>2024-11-01T00:00:00Z</updated></entry>
</feed>"""

XML = {"Content-Type": "application/rss+xml"}


def test_urls_file_skips_comments_and_reports_bad_lines(tmp_path: Path) -> None:
    path = tmp_path / "urls.txt"
    path.write_text("\ufeff# seed list\n\nhttps://a.example/1\n  http://b.example/2?x=1#frag  \n"
                    "ftp://c.example/3\nnot a url\nhttp://\n", encoding="utf-8")
    results = list(discover_urls_file(path, "seed"))
    candidates = [r for r in results if isinstance(r, Candidate)]
    failures = [r for r in results if isinstance(r, FetchFailure)]
    assert [c.url for c in candidates] == ["https://a.example/1", "http://b.example/2?x=1#frag"]
    assert all(c.source_name == "seed" and c.discovered_at.tzinfo for c in candidates)
    assert [(f.stage, f.reason) for f in failures] == [
        ("discover", "invalid_url: line 5: bad_scheme: ftp"),
        ("discover", "invalid_url: line 6: bad_scheme: (none)"),
        ("discover", "invalid_url: line 7: invalid_url: no host"),
    ]


@pytest.mark.parametrize(("body", "content_type"), [(RSS2, "application/rss+xml"), (RSS1, "application/rdf+xml"),
                                                    (ATOM, "application/atom+xml")], ids=["rss2", "rss1", "atom"])
def test_feed_entries_become_candidates(body: bytes, content_type: str) -> None:
    with FixtureServer({"/feed": Reply(headers={"Content-Type": content_type}, body=body)}) as server:
        results = list(discover_feed(server.url("/feed"), "wire", FAST))
    candidates = [r for r in results if isinstance(r, Candidate)]
    expected = {
        RSS2: [("https://news.example/a1", "Kim visits Vladivostok", datetime(2023, 9, 12, 7, tzinfo=timezone.utc)),
               ("https://news.example/a2", "Shells shipped", None)],
        RSS1: [("https://news.example/r1", "Treaty ratified", datetime(2024, 6, 19, 8, 30, tzinfo=timezone.utc))],
        ATOM: [("https://desk.example/kursk", "Troops in Kursk", datetime(2024, 11, 1, 0, 15, tzinfo=timezone.utc))],
    }[body]
    assert [(c.url, c.hint_title, c.hint_published) for c in candidates] == expected
    assert all(c.source_name == "wire" for c in candidates)
    if body is ATOM:  # feedparser falls back to the id as link; an unfetchable one is recorded, not dropped
        assert [(r.stage, r.url, r.reason) for r in results if isinstance(r, FetchFailure)] == [
            ("discover", "urn:2", "invalid_entry: bad_scheme: urn")]


@pytest.mark.parametrize("body", [b"<rss><channel><item><title>cut", b"<html><body>Not a feed</body></html>"],
                         ids=["truncated-xml", "html-page"])
def test_malformed_feed_is_recorded(body: bytes) -> None:
    with FixtureServer({"/feed": Reply(headers=XML, body=body)}) as server:
        (failure,) = discover_feed(server.url("/feed"), "wire", FAST)
    assert isinstance(failure, FetchFailure)
    assert failure.stage == "discover"
    assert failure.reason.startswith("invalid_feed: ")


def test_feed_http_error_is_recorded() -> None:
    with FixtureServer({}) as server:
        (failure,) = discover_feed(server.url("/gone.xml"), "wire", FAST)
    assert isinstance(failure, FetchFailure)
    assert (failure.stage, failure.reason, failure.http_status) == ("discover", "http_status: 404", 404)


def test_feed_fetch_uses_the_safe_client() -> None:
    with FixtureServer({"/feed": Reply(headers=XML, body=RSS2)}) as server:
        (failure,) = discover_feed(server.url("/feed"), "wire", replace(FAST, allow_private_addresses=False))
        assert server.requests == []
    assert isinstance(failure, FetchFailure) and failure.reason == "blocked_address: 127.0.0.1"


def test_unchanged_feed_costs_one_304() -> None:
    validators = {"ETag": '"v1"', "Last-Modified": "Mon, 01 Jan 2024 00:00:00 GMT"}

    def conditional(request: Seen) -> Reply:
        if request.headers.get("If-None-Match") == '"v1"':
            return Reply(304, validators, b"")
        return Reply(headers={**XML, **validators}, body=RSS2)

    state = FeedState()
    with FixtureServer({"/feed": conditional}) as server:
        first = list(discover_feed(server.url("/feed"), "wire", FAST, state))
        assert (state.etag, state.last_modified) == ('"v1"', "Mon, 01 Jan 2024 00:00:00 GMT")
        second = list(discover_feed(server.url("/feed"), "wire", FAST, state))
        conditional_request = server.seen("/feed")[-1]
    assert len(first) == 2 and second == []
    assert conditional_request.headers["If-Modified-Since"] == "Mon, 01 Jan 2024 00:00:00 GMT"
    assert state.etag == '"v1"'


WARC_DATE = "2024-11-05T06:07:08Z"


def write_warc(path: Path, compress: bool, huge: int) -> bytes:
    """Build a small WARC: a Cyrillic page, a 404, a PDF, an oversized page, a request, a good page."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=compress)
    responses = [
        ("http://ru.example/a", "200 OK", "text/html; charset=windows-1251", "<html>Пхеньян</html>".encode("cp1251")),
        ("http://ru.example/missing", "404 Not Found", "text/html", b"<html>nope</html>"),
        ("http://ru.example/doc.pdf", "200 OK", "application/pdf", b"%PDF-1.4"),
        ("http://ru.example/huge", "200 OK", "text/html", b"x" * huge),
        ("http://ru.example/last", "200 OK", "application/xhtml+xml", b"<html>last</html>"),
    ]
    for uri, status, content_type, body in responses:
        headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=headers,
                                                      warc_headers_dict={"WARC-Date": WARC_DATE}))
        if uri.endswith("/huge"):
            writer.write_record(writer.create_warc_record(uri, "request", payload=io.BytesIO(b"GET /huge HTTP/1.1\r\n\r\n")))
    data = buffer.getvalue()
    path.write_bytes(data)
    return data


@pytest.mark.parametrize("compress", [False, True], ids=["warc", "warc.gz"])
def test_warc_records_become_archived_candidates(tmp_path: Path, compress: bool) -> None:
    path = tmp_path / ("crawl.warc.gz" if compress else "crawl.warc")
    write_warc(path, compress, huge=5000)
    *results, tally = discover_warc(path, "archive", replace(FAST, max_body_bytes=4096))
    assert tally == ArchiveTally("archive", str(path), datetime(2024, 11, 5).date(), 5, 0, True)
    summary = [(r.url, r.reason if isinstance(r, FetchFailure) else "page") for r in results]
    assert summary == [
        ("http://ru.example/a", "page"),
        ("http://ru.example/missing", "http_status: 404"),
        ("http://ru.example/doc.pdf", "wrong_type: application/pdf"),
        ("http://ru.example/huge", "too_large: > 4096 bytes"),
        ("http://ru.example/last", "page"),
    ]
    page = results[0].archived  # type: ignore[union-attr]
    assert page is not None
    assert page.fetched_at == datetime(2024, 11, 5, 6, 7, 8, tzinfo=timezone.utc)
    assert (page.http_status, page.content_type, page.charset) == (200, "text/html", "windows-1251")
    assert page.body.decode(page.charset) == "<html>Пхеньян</html>"
    missing = results[1]
    assert isinstance(missing, FetchFailure)
    assert (missing.stage, missing.http_status, missing.attempted_at) == ("fetch", 404, page.fetched_at)


@pytest.mark.parametrize("compress", [False, True], ids=["warc", "warc.gz"])
def test_truncated_warc_yields_what_was_read_then_one_failure(tmp_path: Path, compress: bool) -> None:
    path = tmp_path / "cut.warc"
    data = write_warc(path, compress, huge=20_000)
    path.write_bytes(data[: len(data) - 40])  # cut inside the last record
    *records, failure, tally = discover_warc(path, "archive", FAST)
    assert isinstance(tally, ArchiveTally) and tally.complete is False
    assert [r.url for r in records] == ["http://ru.example/a", "http://ru.example/missing",
                                        "http://ru.example/doc.pdf", "http://ru.example/huge"]
    assert isinstance(failure, FetchFailure)
    assert (failure.stage, failure.url) == ("discover", str(path))
    assert failure.reason.startswith("corrupt_warc: ")


def test_corrupt_gzip_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "bad.warc.gz"
    path.write_bytes(b"\x1f\x8b\x08\x00" + b"garbage" * 20)
    (failure,) = discover_warc(path, "archive")
    assert isinstance(failure, FetchFailure) and failure.reason.startswith("corrupt_warc: gzip")
