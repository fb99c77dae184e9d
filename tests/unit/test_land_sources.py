"""Landing across runs on one warehouse: feed validators kept, refetch re-extracts, CC-NEWS counted once."""

from __future__ import annotations

import gzip
from datetime import date
from pathlib import Path

import pytest

from ingest.config import SourceSpec, SourcesConfig
from ingest.fetch import FetchOptions
from ingest.land import land_sources
from ingest.parse import parse_pending
from tests.conftest import FIXTURES, PROJECT_ROOT, query
from tests.support.http_server import FixtureServer, Reply, Seen
from tests.support.warcs import Record, build_warc

FAST = FetchOptions(allow_private_addresses=True, connect_timeout=1, read_timeout=1, total_timeout=5,
                    per_host_delay=0, retries=1, backoff_base=0.01, backoff_max=0.05)
PAGE = (PROJECT_ROOT / "sample" / "pages" / "seed003_independent.html").read_bytes()
UPDATED = PAGE.replace(b"</body>", b"<!-- updated --></body>")
OFF_TOPIC = (PROJECT_ROOT / "sample" / "pages" / "offtopic_rnz_ocr.html").read_bytes()


def _config(tmp_path: Path, *sources: SourceSpec) -> SourcesConfig:
    return SourcesConfig(file=tmp_path / "sources.yaml", sources=sources, allow_private_addresses=True)


@pytest.fixture
def feed_server():
    def conditional(request: Seen) -> Reply:
        if request.headers.get("If-None-Match") == '"f1"':
            return Reply(304, {"ETag": '"f1"'}, b"")
        return Reply(headers={"Content-Type": "application/rss+xml", "ETag": '"f1"'}, body=feed)

    with FixtureServer({"/feed.xml": conditional}) as server:
        base = server.url("").rstrip("/")
        feed = (FIXTURES / "sources" / "feed.xml").read_text().replace("{base}", base).encode()
        server.routes["/seoul"] = [Reply(body=PAGE), Reply(body=UPDATED)]
        yield server


def test_unchanged_feed_costs_one_304_across_runs(tmp_path: Path, feed_server: FixtureServer) -> None:
    warehouse = tmp_path / "w.duckdb"
    config = _config(tmp_path, SourceSpec("wire", "rss", url=feed_server.url("/feed.xml")))
    first = land_sources(config, warehouse, FAST)
    second = land_sources(config, warehouse, FAST)
    requests = feed_server.seen("/feed.xml")
    assert (first.discovered, first.pages) == (1, 1)
    assert (second.discovered, second.pages, second.skipped_already_fetched) == (0, 0, 0)
    assert len(requests) == 2 and requests[1].headers.get("If-None-Match") == '"f1"'
    assert len(feed_server.seen("/seoul")) == 1
    assert query(warehouse, "SELECT url, etag FROM raw.feed_state") == [(feed_server.url("/feed.xml"), '"f1"')]


def test_refetch_replaces_the_page_and_it_is_extracted_again(tmp_path: Path, feed_server: FixtureServer) -> None:
    warehouse = tmp_path / "w.duckdb"
    (tmp_path / "urls.txt").write_text(feed_server.url("/seoul") + "\n")
    config = _config(tmp_path, SourceSpec("pasted", "urls", path=tmp_path / "urls.txt"))
    land_sources(config, warehouse, FAST)
    assert parse_pending(warehouse).articles == 1
    (extracted_before,) = query(warehouse, "SELECT extracted_at FROM raw.articles")[0]

    report = land_sources(config, warehouse, FAST, refetch=True)
    assert report.pages == 1
    assert query(warehouse, "SELECT body FROM raw.pages") == [(UPDATED,)]
    assert query(warehouse, "SELECT count(*) FROM raw.extractions")[0][0] == 0
    assert parse_pending(warehouse).articles == 1
    (extracted_after,) = query(warehouse, "SELECT extracted_at FROM raw.articles")[0]
    assert extracted_after > extracted_before
    assert land_sources(config, warehouse, FAST).skipped_already_fetched == 1  # no refetch: nothing replaced
    assert parse_pending(warehouse).pages == 0


def test_ccnews_counts_and_files_read_once(tmp_path: Path) -> None:
    month = "crawl-data/CC-NEWS/2024/10"
    name = f"{month}/CC-NEWS-20241010120000-00001.warc.gz"
    warc = build_warc([Record("https://wire.example/seoul", PAGE), Record("https://wire.example/rates", OFF_TOPIC),
                       Record("https://wire.example/rates2", OFF_TOPIC, date="2024-10-11T01:00:00Z")])
    routes = {f"/{month}/warc.paths.gz": Reply(body=gzip.compress(name.encode() + b"\n")), f"/{name}": Reply(body=warc)}
    warehouse = tmp_path / "w.duckdb"
    with FixtureServer(routes) as server:
        config = _config(tmp_path, SourceSpec("ccnews", "ccnews", start=date(2024, 10, 10),
                                              end=date(2024, 10, 10), base_url=server.url("/")))
        first = land_sources(config, warehouse, FAST)
        second = land_sources(config, warehouse, FAST)
        assert len(server.seen(f"/{name}")) == 1, "a file read to its end was streamed again"
        land_sources(config, warehouse, FAST, refetch=True)
        assert len(server.seen(f"/{name}")) == 2
    assert (first.pages, first.archive_records, first.archive_records_prefiltered) == (1, 3, 2)
    assert (second.pages, second.archive_records) == (0, 0)
    seen = query(warehouse, "SELECT day::VARCHAR, records_seen, records_prefiltered, complete FROM raw.pages_seen ORDER BY 1")
    assert seen == [("2024-10-10", 2, 1, True), ("2024-10-11", 1, 1, True)]
    assert [u for (u,) in query(warehouse, "SELECT url FROM raw.pages")] == ["https://wire.example/seoul"]
