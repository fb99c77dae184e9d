"""The safe fetcher against a real loopback HTTP server (no internet, no mocks)."""

from __future__ import annotations

import ipaddress
import time
from dataclasses import replace
from datetime import datetime, timezone

import pytest

from ingest.fetch import FetchOptions, fetch_many, parse_content_type
from ingest.fetch.backoff import backoff_delay, parse_retry_after
from ingest.fetch.safety import is_blocked_address
from ingest.records import Candidate, FetchedPage, FetchFailure
from tests.support.http_server import FixtureServer, Reply

# Loopback needs allow_private_addresses; everything else is shrunk so the suite stays fast.
FAST = FetchOptions(allow_private_addresses=True, connect_timeout=1, read_timeout=1, total_timeout=5,
                    per_host_delay=0, retries=2, backoff_base=0.01, backoff_max=0.05)
NOW = datetime(2025, 1, 1, tzinfo=timezone.utc)


def fetch(url: str, options: FetchOptions = FAST) -> FetchedPage | FetchFailure:
    (result,) = list(fetch_many([Candidate(source_name="test", url=url, discovered_at=NOW)], options))
    return result


def test_follows_redirects_and_records_final_url() -> None:
    routes = {
        "/old": Reply(301, {"Location": "/moved"}, b""),
        "/moved": Reply(302, {"Location": "/article?id=1"}, b""),
        "/article?id=1": Reply(body=b"<html>story</html>"),
    }
    with FixtureServer(routes) as server:
        page = fetch(server.url("/old"))
    assert isinstance(page, FetchedPage)
    assert page.url == server.url("/old")
    assert page.final_url == server.url("/article?id=1")
    assert (page.http_status, page.content_type, page.charset, page.body) == (200, "text/html", "utf-8",
                                                                               b"<html>story</html>")
    assert page.fetched_at.tzinfo is not None


def test_server_error_is_retried_then_succeeds() -> None:
    with FixtureServer({"/flaky": [Reply(500), Reply(503), Reply()]}) as server:
        page = fetch(server.url("/flaky"))
        assert len(server.seen("/flaky")) == 3
    assert isinstance(page, FetchedPage)


def test_server_error_gives_up_after_retries() -> None:
    with FixtureServer({"/down": Reply(503)}) as server:
        failure = fetch(server.url("/down"))
        assert len(server.seen("/down")) == 1 + FAST.retries
    assert isinstance(failure, FetchFailure)
    assert (failure.stage, failure.reason, failure.http_status) == ("fetch", "http_status: 503", 503)


def test_not_found_is_not_retried() -> None:
    with FixtureServer({}) as server:
        failure = fetch(server.url("/missing"))
        assert len(server.seen("/missing")) == 1
    assert isinstance(failure, FetchFailure)
    assert (failure.reason, failure.http_status) == ("http_status: 404", 404)


def test_retry_after_is_honoured_and_capped() -> None:
    routes = {"/busy": [Reply(429, {"Retry-After": "1"}, b""), Reply()],
              "/very-busy": [Reply(503, {"Retry-After": "3600"}, b""), Reply()]}
    options = replace(FAST, backoff_max=1.2)
    with FixtureServer(routes) as server:
        assert isinstance(fetch(server.url("/busy"), options), FetchedPage)
        first, second = server.seen("/busy")
        assert second.at - first.at >= 0.9
        started = time.monotonic()
        assert isinstance(fetch(server.url("/very-busy"), options), FetchedPage)
        assert time.monotonic() - started < 2.5  # an hour asked, the 1.2 s cap applied


def test_read_timeout() -> None:
    with FixtureServer({"/slow": Reply(delay=1.0)}) as server:
        failure = fetch(server.url("/slow"), replace(FAST, read_timeout=0.2, retries=0))
    assert isinstance(failure, FetchFailure)
    assert failure.reason == "timeout: read"


def test_total_timeout_stops_a_slow_drip() -> None:
    def drip():
        for _ in range(20):
            time.sleep(0.1)
            yield b"<p>"

    with FixtureServer({"/drip": Reply(body=drip)}) as server:
        failure = fetch(server.url("/drip"), replace(FAST, read_timeout=1, total_timeout=0.5, retries=0))
    assert isinstance(failure, FetchFailure)
    assert failure.reason == "timeout: total"


@pytest.mark.parametrize("streamed", [True, False], ids=["streamed", "content-length"])
def test_body_over_limit_is_aborted(streamed: bool) -> None:
    chunk = b"x" * 65536
    body = (lambda: (chunk for _ in range(10_000))) if streamed else chunk * 4
    with FixtureServer({"/huge": Reply(body=body)}) as server:
        failure = fetch(server.url("/huge"), replace(FAST, max_body_bytes=100_000))
    assert isinstance(failure, FetchFailure)
    assert (failure.reason, failure.http_status) == ("too_large: > 100000 bytes", 200)


def test_non_html_type_is_refused() -> None:
    with FixtureServer({"/doc.pdf": Reply(headers={"Content-Type": "application/pdf"}, body=b"%PDF")}) as server:
        failure = fetch(server.url("/doc.pdf"))
    assert isinstance(failure, FetchFailure)
    assert failure.reason == "wrong_type: application/pdf"


def test_robots_disallow_is_respected() -> None:
    routes = {"/robots.txt": Reply(headers={"Content-Type": "text/plain"},
                                   body=b"User-agent: *\nDisallow: /private/\n"),
              "/private/a": Reply(), "/public/a": Reply()}
    with FixtureServer(routes) as server:
        blocked = fetch(server.url("/private/a"))
        allowed = fetch(server.url("/public/a"))
        ignored = fetch(server.url("/private/a"), replace(FAST, respect_robots=False))
        assert len(server.seen("/private/a")) == 1  # only the robots-ignoring fetch
    assert isinstance(blocked, FetchFailure) and blocked.reason == "robots: disallowed"
    assert isinstance(allowed, FetchedPage)
    assert isinstance(ignored, FetchedPage)


def test_robots_server_error_disallows_the_origin() -> None:
    with FixtureServer({"/robots.txt": Reply(503), "/a": Reply()}) as server:
        failure = fetch(server.url("/a"))
        assert server.seen("/a") == []
    assert isinstance(failure, FetchFailure)
    assert failure.reason == "robots: unreachable: http_status: 503"


def test_loopback_is_refused_unless_allowed() -> None:
    with FixtureServer({"/a": Reply()}) as server:
        for host in ("127.0.0.1", "localhost"):
            failure = fetch(server.url("/a", host=host), replace(FAST, allow_private_addresses=False))
            assert isinstance(failure, FetchFailure)
            assert failure.reason.startswith("blocked_address: ")
        assert server.requests == []  # refused before connecting, robots.txt included
        assert isinstance(fetch(server.url("/a")), FetchedPage)


@pytest.mark.parametrize("address", ["127.0.0.1", "10.0.0.1", "192.168.1.1", "169.254.169.254", "fd00:ec2::254",
                                     "::1", "fe80::1", "224.0.0.1", "0.0.0.0", "240.0.0.1", "::ffff:127.0.0.1"])
def test_internal_addresses_are_blocked(address: str) -> None:
    assert is_blocked_address(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"])
def test_public_addresses_pass(address: str) -> None:
    assert not is_blocked_address(ipaddress.ip_address(address))


def test_redirect_hops_are_checked() -> None:
    routes = {"/to-ftp": Reply(302, {"Location": "ftp://example.com/file"}, b""),
              "/to-garbage": Reply(302, {"Location": "http://[::1"}, b""),
              "/loop": Reply(302, {"Location": "/loop"}, b"")}
    with FixtureServer(routes) as server:
        ftp = fetch(server.url("/to-ftp"))
        garbage = fetch(server.url("/to-garbage"))
        loop = fetch(server.url("/loop"), replace(FAST, max_redirects=2))
        assert len(server.seen("/loop")) == 3
    assert isinstance(ftp, FetchFailure) and ftp.reason == "bad_scheme: ftp"
    assert isinstance(garbage, FetchFailure) and garbage.reason.startswith("protocol: Invalid URL in location header")
    assert isinstance(loop, FetchFailure) and loop.reason == "too_many_redirects"


def test_bad_scheme_and_refused_connection() -> None:
    assert fetch("ftp://example.com/a").reason == "bad_scheme: ftp"  # type: ignore[union-attr]
    with FixtureServer({}) as server:
        port = server.port
    failure = fetch(f"http://127.0.0.1:{port}/gone", replace(FAST, retries=0))
    assert isinstance(failure, FetchFailure) and failure.reason == "refused"


def test_per_host_delay_spaces_requests() -> None:
    paths = [f"/p{i}" for i in range(4)]
    with FixtureServer({path: Reply() for path in paths}) as server:
        candidates = [Candidate(source_name="test", url=server.url(p), discovered_at=NOW) for p in paths]
        results = list(fetch_many(candidates, replace(FAST, per_host_delay=0.15, per_host_concurrency=4)))
        arrivals = sorted(request.at for request in server.requests)  # robots.txt and the four pages
    assert all(isinstance(result, FetchedPage) for result in results)
    gaps = [later - earlier for earlier, later in zip(arrivals, arrivals[1:])]
    assert len(gaps) == 4 and min(gaps) >= 0.12


def test_charset_from_content_type_header() -> None:
    body = "<html>Пхеньян</html>".encode("cp1251")
    with FixtureServer({"/ru": Reply(headers={"Content-Type": "text/html; charset=Windows-1251"}, body=body)}) as server:
        page = fetch(server.url("/ru"))
    assert isinstance(page, FetchedPage)
    assert page.charset == "windows-1251"
    assert page.body.decode(page.charset) == "<html>Пхеньян</html>"


def test_fetch_many_streams_and_passes_archived_and_failures_through() -> None:
    archived = FetchedPage(source_name="warc", url="http://example.com/a", final_url="http://example.com/a",
                           fetched_at=NOW, http_status=200, content_type="text/html", body=b"<html></html>")
    earlier = FetchFailure(source_name="list", url="nope", stage="discover", reason="invalid_url: x", attempted_at=NOW)
    with FixtureServer({f"/{i}": Reply() for i in range(30)}) as server:
        candidates = [Candidate(source_name="t", url=server.url(f"/{i}"), discovered_at=NOW) for i in range(30)]
        stream = fetch_many([earlier, Candidate("warc", archived.url, NOW, archived=archived), *candidates],
                            replace(FAST, max_concurrency=2))
        first = next(stream)
        results = [first, *stream]
    assert first is earlier
    assert archived in results
    assert sum(isinstance(result, FetchedPage) for result in results) == 31


def test_helpers() -> None:
    assert parse_content_type('text/html; charset="UTF-8"') == ("text/html", "utf-8")
    assert parse_content_type("application/xhtml+xml") == ("application/xhtml+xml", None)
    assert parse_content_type(None) == ("", None)
    assert parse_retry_after("7", cap=5) == 5
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", cap=5) == 0
    assert parse_retry_after("soon", cap=5) is None
    for attempt in range(6):
        assert 0.5 * min(1.0, 0.1 * 2**attempt) <= backoff_delay(attempt, 0.1, 1.0) <= min(1.0, 0.1 * 2**attempt)
