"""Sitemap discovery over loopback: index to children (one gzipped), news dates, `since`, 304s, bad files."""

from __future__ import annotations

import gzip
from datetime import date, datetime, timezone

from ingest.discover import FeedState, discover_sitemap
from ingest.fetch import FetchOptions
from ingest.records import Candidate, FetchFailure
from tests.conftest import FIXTURES
from tests.support.http_server import FixtureServer, Reply, Seen

FAST = FetchOptions(allow_private_addresses=True, connect_timeout=1, read_timeout=1, total_timeout=5,
                    per_host_delay=0, retries=1, backoff_base=0.01, backoff_max=0.05)
SOURCES = FIXTURES / "sources"
XML = {"Content-Type": "application/xml"}


def _fixture(name: str, base: str = "") -> bytes:
    return (SOURCES / name).read_text(encoding="utf-8").replace("{base}", base).encode("utf-8")


def _routes(base: str) -> dict[str, Reply]:
    return {
        "/sitemap_index.xml": Reply(headers=XML, body=_fixture("sitemap_index.xml", base)),
        "/sitemaps/articles-2024-10.xml.gz": Reply(headers={"Content-Type": "application/gzip"},
                                                   body=gzip.compress(_fixture("sitemap_articles.xml"))),
        "/sitemaps/news.xml": Reply(headers=XML, body=_fixture("sitemap_news.xml")),
        "/sitemaps/articles-2019-01.xml": Reply(headers=XML, body=_fixture("sitemap_articles.xml")),
    }


def test_index_children_gzip_news_dates_and_since() -> None:
    with FixtureServer({}) as server:
        base = server.url("").rstrip("/")
        server.routes.update(_routes(base))
        results = list(discover_sitemap(server.url("/sitemap_index.xml"), "site", FAST, since=date(2024, 10, 1)))
        assert server.seen("/sitemaps/articles-2019-01.xml") == [], "a child older than `since` was read"
        assert len(server.seen("/sitemap_index.xml")) == 1, "the index listing itself was read again"
    candidates = [(c.url, c.hint_title, c.hint_published) for c in results if isinstance(c, Candidate)]
    assert candidates == [
        ("https://news.example/2024/10/09/treaty", None, datetime(2024, 10, 9, tzinfo=timezone.utc)),
        ("https://news.example/2024/10/10/troops-in-kursk", None, datetime(2024, 10, 10, 5, 15, tzinfo=timezone.utc)),
        ("https://news.example/about", None, None),
        ("https://news.example/2024/10/11/shells", "Shells shipped to Russia",
         datetime(2024, 10, 10, 21, 34, tzinfo=timezone.utc)),
    ]
    failures = [(f.url, f.reason) for f in results if isinstance(f, FetchFailure)]
    assert failures == [("javascript:alert(1)", "invalid_entry: bad_scheme: javascript")]


def test_without_since_everything_is_read() -> None:
    with FixtureServer({}) as server:
        base = server.url("").rstrip("/")
        server.routes.update(_routes(base))
        urls = [c.url for c in discover_sitemap(server.url("/sitemap_index.xml"), "site", FAST)
                if isinstance(c, Candidate)]
    # The 2019 child repeats the October URLs: discovery yields them again, landing dedups by URL.
    assert len(urls) == 4 + 2 + 4 and "https://news.example/2024/10/01/old-news" in urls


def test_unchanged_sitemaps_cost_one_304_each() -> None:
    def conditional(body: bytes, etag: str):
        def answer(request: Seen) -> Reply:
            if request.headers.get("If-None-Match") == etag:
                return Reply(304, {"ETag": etag}, b"")
            return Reply(headers={**XML, "ETag": etag}, body=body)
        return answer

    states: dict[str, FeedState] = {}
    with FixtureServer({}) as server:
        base = server.url("").rstrip("/")
        server.routes.update({
            "/sitemap_index.xml": conditional(_fixture("sitemap_index.xml", base).replace(b"articles-2024-10.xml.gz",
                                                                                          b"news.xml"), '"i1"'),
            "/sitemaps/news.xml": conditional(_fixture("sitemap_news.xml"), '"n1"'),
        })
        first = list(discover_sitemap(server.url("/sitemap_index.xml"), "site", FAST, date(2024, 10, 1), states))
        second = list(discover_sitemap(server.url("/sitemap_index.xml"), "site", FAST, date(2024, 10, 1), states))
        assert len(server.seen("/sitemap_index.xml")) == 2
        assert len(server.seen("/sitemaps/news.xml")) == 1
    assert [c.url for c in first] == ["https://news.example/2024/10/11/shells"]
    assert second == []
    assert states[server.url("/sitemap_index.xml")].etag == '"i1"'
    assert states[f"{base}/sitemaps/news.xml"].etag == '"n1"'


def test_bad_sitemaps_are_recorded_after_what_could_be_read() -> None:
    articles = _fixture("sitemap_articles.xml")
    truncated = articles[: articles.index(b"2024/09/30")]
    routes = {
        "/cut.xml": Reply(headers=XML, body=truncated),
        "/page.xml": Reply(body=b"<html><body><p>Not a sitemap</p></body></html>"),
        "/feed.xml": Reply(headers=XML, body=b"<rss version='2.0'><channel/></rss>"),
        "/bad.xml.gz": Reply(headers=XML, body=b"\x1f\x8b\x08\x00garbage"),
    }
    with FixtureServer(routes) as server:
        cut = list(discover_sitemap(server.url("/cut.xml"), "site", FAST))
        reasons = {path: [r.reason for r in discover_sitemap(server.url(path), "site", FAST)]
                   for path in ("/page.xml", "/feed.xml", "/bad.xml.gz", "/missing.xml")}
    *read, failure = cut
    assert [c.url for c in read] == ["https://news.example/2024/10/09/treaty",
                                     "https://news.example/2024/10/10/troops-in-kursk"]
    assert isinstance(failure, FetchFailure) and failure.reason.startswith("invalid_sitemap: ")
    assert reasons["/page.xml"] == ["invalid_sitemap: root element <html>"]
    assert reasons["/feed.xml"] == ["invalid_sitemap: root element <rss>"]
    assert len(reasons["/bad.xml.gz"]) == 1 and reasons["/bad.xml.gz"][0].startswith("invalid_sitemap: ")
    assert reasons["/missing.xml"] == ["http_status: 404"]


def test_nesting_is_bounded() -> None:
    def index(n: int) -> Reply:
        child = f"<sitemap><loc>{{base}}/level{n + 1}.xml</loc></sitemap>"
        return Reply(headers=XML, body=f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                                       f"{child}</sitemapindex>".encode())

    with FixtureServer({}) as server:
        base = server.url("").rstrip("/")
        for n in range(6):
            reply = index(n)
            server.routes[f"/level{n}.xml"] = Reply(headers=XML, body=reply.body.replace(b"{base}", base.encode()))
        results = list(discover_sitemap(server.url("/level0.xml"), "site", FAST))
        assert server.seen("/level4.xml") == []
    assert [(r.url.rsplit("/", 1)[-1], r.reason) for r in results] == [("level4.xml", "too_deep: sitemap nesting deeper than 3")]
