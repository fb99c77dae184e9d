"""Live sources over real HTTP on loopback: a feed and a URL list, with every kind of bad answer."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT, query, run_nkwatch, table_counts
from tests.support.http_server import FixtureServer, Reply

pytestmark = pytest.mark.timeout(900)

PAGES = PROJECT_ROOT / "sample" / "pages"
HTML = {"Content-Type": "text/html; charset=utf-8"}


def _page(name: str) -> Reply:
    return Reply(200, HTML, (PAGES / name).read_bytes())


def _huge() -> list[bytes]:
    return (b"<p>" + b"x" * 65536 + b"</p>" for _ in range(64))  # about 4 MiB, streamed


def _routes(base: str) -> dict[str, object]:
    feed = f"""<?xml version="1.0"?>
<rss version="2.0"><channel><title>Fixture feed</title><link>{base}/</link><description>d</description>
<item><title>Seoul on casualties</title><link>{base}/seoul?utm_source=rss</link>
<pubDate>Tue, 08 Oct 2024 09:10:00 GMT</pubDate></item>
<item><title>Kremlin denies</title><link>{base}/kremlin</link><pubDate>Thu, 10 Oct 2024 12:00:00 GMT</pubDate></item>
<item><title>Broken server</title><link>{base}/broken</link></item>
<item><title>Slow server</title><link>{base}/slow</link></item>
</channel></rss>""".encode()
    return {
        "/feed.xml": Reply(200, {"Content-Type": "application/rss+xml"}, feed),
        "/seoul": _page("seed003_independent.html"),
        "/kremlin": _page("seed000_themoscowtimes.html"),
        "/rates": _page("offtopic_rnz_ocr.html"),
        "/broken": Reply(500, HTML, b"<html>oops</html>"),
        "/slow": Reply(200, HTML, b"<html>late</html>", delay=3.0),
        "/huge": Reply(200, HTML, _huge),
        "/report.pdf": Reply(200, {"Content-Type": "application/pdf"}, b"%PDF-1.4 fake"),
    }


def _sources(tmp_path: Path, base: str, allow_private: bool) -> Path:
    (tmp_path / "urls.txt").write_text(
        f"# pasted by an analyst\n{base}/rates\n{base}/kremlin#comments\n{base}/missing\n"
        f"{base}/huge\n{base}/report.pdf\nnot a url\n"
    )
    sources = tmp_path / "sources.yaml"
    sources.write_text(
        "sources:\n"
        f"  - {{name: feed, kind: rss, url: '{base}/feed.xml'}}\n"
        "  - {name: pasted, kind: urls, path: urls.txt}\n"
        f"allow_private_addresses: {'true' if allow_private else 'false'}\n"
        "fetch: {retries: 1, backoff_base: 0.05, read_timeout: 1, total_timeout: 2, per_host_delay: 0,"
        " max_body_bytes: 1000000}\n"
    )
    return sources


def _run(tmp_path: Path, sources: Path, warehouse: Path) -> None:
    result = run_nkwatch("run", "--sources", str(sources), "--warehouse", str(warehouse),
                         dagster_home=tmp_path / "dagster")
    assert result.returncode == 0, result.stdout + result.stderr


@contextmanager
def _server(tmp_path: Path, allow_private: bool) -> Iterator[tuple[FixtureServer, Path]]:
    """The fixture site on loopback and a sources file pointing at it."""
    with FixtureServer({}) as server:
        base = server.url("").rstrip("/")
        server.routes.update(_routes(base))
        yield server, _sources(tmp_path, base, allow_private=allow_private)


def test_feed_and_url_list_over_loopback(tmp_path: Path) -> None:
    warehouse = tmp_path / "live.duckdb"
    with _server(tmp_path, allow_private=True) as (server, sources):
        _run(tmp_path, sources, warehouse)
        counts = table_counts(warehouse)
        fetched_before = len(server.seen("/seoul"))
        _run(tmp_path, sources, warehouse)
        assert len(server.seen("/seoul")) == fetched_before, "a fetched URL was fetched again"

    articles = query(warehouse, "SELECT fetched_url, is_on_topic FROM articles JOIN raw.articles USING (article_id)")
    by_path = {url.rsplit("/", 1)[-1]: on_topic for url, on_topic in articles}
    assert by_path == {"seoul": True, "kremlin": True, "rates": False}

    failures = dict(query(warehouse, "SELECT regexp_extract(url, '[^/]*$'), reason FROM fetch_failures"))
    assert failures["broken"].startswith("http_status")
    assert failures["missing"].startswith("http_status")
    assert failures["slow"].startswith("timeout")
    assert failures["huge"].startswith("too_large")
    assert failures["report.pdf"].startswith("wrong_type")
    assert any(reason.startswith("invalid_url") for reason in failures.values())

    after = table_counts(warehouse)
    for table in ("raw.pages", "raw.articles", "raw.discovered_urls", "main.articles", "main.claims"):
        assert after[table] == counts[table], table


def test_private_addresses_are_refused_by_default(tmp_path: Path) -> None:
    warehouse = tmp_path / "refused.duckdb"
    with _server(tmp_path, allow_private=False) as (server, sources):
        _run(tmp_path, sources, warehouse)
        assert server.requests == []
    reasons = [r for (r,) in query(warehouse, "SELECT reason FROM fetch_failures")]
    assert reasons and any(r.startswith("blocked_address") for r in reasons)
    assert query(warehouse, "SELECT count(*) FROM articles")[0][0] == 0
