"""CC-NEWS and remote WARC discovery over loopback: file selection by date, streaming, the pre-filter."""

from __future__ import annotations

import gzip
from dataclasses import replace
from datetime import date

from ingest.discover import Prefilter, discover_ccnews, discover_warc_url
from ingest.fetch import FetchOptions
from ingest.records import ArchiveTally, Candidate, FetchFailure
from tests.support.http_server import FixtureServer, Reply
from tests.support.warcs import Record, build_warc

FAST = FetchOptions(allow_private_addresses=True, connect_timeout=1, read_timeout=1, total_timeout=5,
                    per_host_delay=0, retries=1, backoff_base=0.01, backoff_max=0.05)
GZ = {"Content-Type": "application/octet-stream"}
MONTH = "crawl-data/CC-NEWS/2024/10"
FILE_A = f"{MONTH}/CC-NEWS-20241010120000-00001.warc.gz"
FILE_B = f"{MONTH}/CC-NEWS-20241011060000-00002.warc.gz"
FILE_C = f"{MONTH}/CC-NEWS-20241012000000-00003.warc.gz"

ON_TOPIC = b"<html><head><title>North Korean troops reach Kursk</title></head><body>...</body></html>"
OFF_TOPIC = b"<html><head><title>Oil prices rise</title></head><body>Brent crude gained.</body></html>"
KOREAN = "<html><head><title>북한군 러시아 파병</title></head></html>".encode("euc-kr")

WARC_A = build_warc([
    Record("https://wire.example/kursk", ON_TOPIC),
    Record("https://wire.example/oil", OFF_TOPIC),
    Record("https://wire.example/gone-pyongyang", b"<html>Pyongyang page not found</html>", status="404 Not Found"),
    Record("https://wire.example/late-oil", OFF_TOPIC, date="2024-10-11T00:00:05Z"),
])
WARC_B = build_warc([
    Record("https://yna.example/nk", KOREAN, date="2024-10-11T07:00:00Z", content_type="text/html; charset=euc-kr"),
    Record("https://yna.example/weather", OFF_TOPIC, date="2024-10-11T07:01:00Z"),
])


def _paths() -> bytes:
    listing = "\n".join([FILE_A, FILE_B, FILE_C, f"{MONTH}/README.txt"]) + "\n"
    return gzip.compress(listing.encode())


def _routes() -> dict[str, Reply]:
    return {
        f"/{MONTH}/warc.paths.gz": Reply(headers=GZ, body=_paths()),
        f"/{FILE_A}": Reply(headers=GZ, body=WARC_A),
        f"/{FILE_B}": Reply(headers=GZ, body=WARC_B),
        f"/{FILE_C}": Reply(headers=GZ, body=WARC_B),
    }


def _read(server: FixtureServer, **kwargs: object) -> list:
    kwargs.setdefault("prefilter", Prefilter())
    return list(discover_ccnews("ccnews", date(2024, 10, 10), date(2024, 10, 11), FAST,
                                base_url=server.url("/"), **kwargs))


def test_files_in_range_are_streamed_and_prefiltered() -> None:
    with FixtureServer(_routes()) as server:
        results = _read(server)
        assert [len(server.seen(f"/{f}")) for f in (FILE_A, FILE_B, FILE_C)] == [1, 1, 0]
    pages = [(r.url, r.archived.charset) for r in results if isinstance(r, Candidate)]  # type: ignore[union-attr]
    assert pages == [("https://wire.example/kursk", "utf-8"), ("https://yna.example/nk", "euc-kr")]
    failures = [(r.url, r.reason) for r in results if isinstance(r, FetchFailure)]
    assert failures == [("https://wire.example/gone-pyongyang", "http_status: 404")]
    tallies = [(t.archive.rsplit("/", 1)[-1][8:16], t.day.day, t.records_seen, t.records_prefiltered, t.complete)
               for t in results if isinstance(t, ArchiveTally)]
    assert tallies == [("20241010", 10, 3, 1, True), ("20241010", 11, 1, 1, True), ("20241011", 11, 2, 1, True)]


def test_without_prefilter_every_page_is_kept() -> None:
    with FixtureServer(_routes()) as server:
        results = _read(server, prefilter=None)
    assert len([r for r in results if isinstance(r, Candidate)]) == 5
    assert sum(t.records_prefiltered for t in results if isinstance(t, ArchiveTally)) == 0


def test_max_files_and_files_already_read() -> None:
    with FixtureServer(_routes()) as server:
        _read(server, max_files=1)
        _read(server, skip={server.url(f"/{FILE_A}")})
        assert [len(server.seen(f"/{f}")) for f in (FILE_A, FILE_B, FILE_C)] == [1, 1, 0]


def test_missing_month_list_is_recorded() -> None:
    with FixtureServer({}) as server:
        (failure,) = _read(server)
    assert isinstance(failure, FetchFailure)
    assert (failure.stage, failure.reason, failure.url) == ("discover", "http_status: 404",
                                                            server.url(f"/{MONTH}/warc.paths.gz"))


def test_remote_warc_url_and_its_failures() -> None:
    routes = {"/a.warc.gz": Reply(headers=GZ, body=WARC_A), "/cut.warc.gz": Reply(headers=GZ, body=WARC_A[:-60]),
              "/plain.warc": Reply(headers=GZ, body=build_warc([Record("https://x.example/p", ON_TOPIC)], False))}
    with FixtureServer(routes) as server:
        full = list(discover_warc_url(server.url("/a.warc.gz"), "remote", FAST, Prefilter()))
        cut = list(discover_warc_url(server.url("/cut.warc.gz"), "remote", FAST, Prefilter()))
        plain = list(discover_warc_url(server.url("/plain.warc"), "remote", FAST))
        (missing,) = discover_warc_url(server.url("/missing.warc.gz"), "remote", FAST)
    assert [r.url for r in full if isinstance(r, Candidate)] == ["https://wire.example/kursk"]
    (failure,) = [r for r in cut if isinstance(r, FetchFailure) and r.stage == "discover"]
    assert failure.reason.startswith("corrupt_warc: ")
    assert [t.complete for t in cut if isinstance(t, ArchiveTally)] == [False, False]
    assert [r.url for r in plain if isinstance(r, Candidate)] == ["https://x.example/p"]
    assert isinstance(missing, FetchFailure) and (missing.stage, missing.reason) == ("discover", "http_status: 404")


def test_remote_warc_obeys_the_address_guard() -> None:
    with FixtureServer({"/a.warc.gz": Reply(headers=GZ, body=WARC_A)}) as server:
        (failure,) = discover_warc_url(server.url("/a.warc.gz"), "remote", replace(FAST, allow_private_addresses=False))
        assert server.requests == []
    assert isinstance(failure, FetchFailure) and failure.reason == "blocked_address: 127.0.0.1"
