"""GDELT DOC 2.0 discovery against a loopback API that honours the time window and the 250 cap."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qs, urlsplit

from ingest.discover import discover_gdelt
from ingest.fetch import FetchOptions
from ingest.records import Candidate, FetchFailure
from tests.conftest import FIXTURES
from tests.support.http_server import FixtureServer, Reply, Seen

FAST = FetchOptions(allow_private_addresses=True, connect_timeout=1, read_timeout=1, total_timeout=5,
                    per_host_delay=0, retries=1, backoff_base=0.01, backoff_max=0.05)
JSON = {"Content-Type": "application/json; charset=utf-8"}
START = datetime(2024, 10, 9, tzinfo=timezone.utc)
END = datetime(2024, 10, 11, tzinfo=timezone.utc)
STAMP = "%Y%m%d%H%M%S"


def _synthetic() -> list[tuple[str, datetime]]:
    """~600 articles: a burst of 420 in four hours of the first day (forces splits), the rest spread."""
    burst = [START + timedelta(hours=6, seconds=34 * i) for i in range(420)]
    spread = [START + timedelta(minutes=15 * i) for i in range(0, 190)]
    return [(f"https://news{i % 7}.example/a/{i}", when) for i, when in enumerate(sorted(burst + spread))]


class FakeGdelt:
    """Answers artlist calls from a fixed article list: inclusive bounds, oldest first, at most maxrecords."""

    def __init__(self, articles: list[tuple[str, datetime]]) -> None:
        self.articles = articles
        self.calls: list[dict[str, str]] = []

    def __call__(self, request: Seen) -> Reply:
        params = {k: v[0] for k, v in parse_qs(urlsplit(request.path).query).items()}
        self.calls.append(params)
        low = datetime.strptime(params["startdatetime"], STAMP).replace(tzinfo=timezone.utc)
        high = datetime.strptime(params["enddatetime"], STAMP).replace(tzinfo=timezone.utc)
        hits = [(url, when) for url, when in self.articles if low <= when <= high][: int(params["maxrecords"])]
        if not hits:
            return Reply(headers=JSON, body=b"{}")  # what GDELT answers for an empty window
        body = {"articles": [{"url": url, "url_mobile": "", "title": f"Title {url.rsplit('/', 1)[-1]}",
                              "seendate": when.strftime("%Y%m%dT%H%M%SZ"), "socialimage": "",
                              "domain": urlsplit(url).hostname, "language": "English",
                              "sourcecountry": "Nowhere"} for url, when in hits]}
        return Reply(headers=JSON, body=json.dumps(body).encode())


def _run(api: object, start: datetime = START, end: datetime = END, **kwargs: object) -> list:
    with FixtureServer({"/api/v2/doc/doc": api}) as server:
        return list(discover_gdelt("gdelt", '"north korea" russia', start, end, FAST,
                                   base_url=server.url("/api/v2/doc/doc"), min_interval=0, **kwargs))


def test_full_windows_are_split_so_every_article_is_found_once() -> None:
    articles = _synthetic()
    api = FakeGdelt(articles)
    results = _run(api)
    assert 590 <= len(articles) <= 620
    candidates = [r for r in results if isinstance(r, Candidate)]
    assert not [r for r in results if isinstance(r, FetchFailure)]
    assert sorted(c.url for c in candidates) == sorted(url for url, _ in articles)
    assert len({c.url for c in candidates}) == len(candidates)
    spans = [datetime.strptime(c["enddatetime"], STAMP) - datetime.strptime(c["startdatetime"], STAMP)
             for c in api.calls]
    assert min(spans) < timedelta(hours=6), "the burst day was not split"
    first = candidates[0]
    assert (first.hint_title, first.hint_published) == ("Title 0", articles[0][1])
    call = api.calls[0]
    assert (call["mode"], call["format"], call["maxrecords"], call["sort"]) == ("artlist", "json", "250", "dateasc")
    assert (call["startdatetime"], call["enddatetime"]) == ("20241009000000", "20241009235959")


def test_a_full_quarter_hour_is_recorded_as_capped() -> None:
    moment = START + timedelta(hours=3)
    articles = [(f"https://wire.example/{i}", moment + timedelta(seconds=i % 60)) for i in range(300)]
    results = _run(FakeGdelt(articles))
    candidates = [r for r in results if isinstance(r, Candidate)]
    (failure,) = [r for r in results if isinstance(r, FetchFailure)]
    assert len(candidates) == 250
    assert failure.stage == "discover" and failure.reason.startswith("gdelt_capped: 250 articles in 2024-10-09 03:")


def test_filters_are_added_to_the_query() -> None:
    api = FakeGdelt([])
    _run(api, END - timedelta(hours=2), END, sourcelang="korean", domain="yna.co.kr")
    assert [c["query"] for c in api.calls] == ['"north korea" russia sourcelang:korean domain:yna.co.kr']


def test_error_answers_are_discover_failures() -> None:
    real = (FIXTURES / "sources" / "gdelt_artlist.json").read_bytes()
    answers = [Reply(headers=JSON, body=real),
               Reply(headers={"Content-Type": "text/html"}, body=(FIXTURES / "sources" / "gdelt_rate_limited.txt").read_bytes()),
               Reply(headers=JSON, body=b'{"articles": "none"}'),
               Reply(500, JSON, b"")]
    results = _run(answers, START, START + timedelta(days=4))
    candidates = [r for r in results if isinstance(r, Candidate)]
    assert [c.url for c in candidates] == ["https://www.yna.co.kr/view/AEN20241010000100315",
                                           "https://www.themoscowtimes.com/2024/10/10/kremlin-rejects-fake-report-a86645"]
    assert candidates[0].hint_published == datetime(2024, 10, 10, 6, 34, tzinfo=timezone.utc)
    reasons = [r.reason for r in results if isinstance(r, FetchFailure)]
    assert reasons[0].startswith("invalid_json: Please limit requests")
    assert reasons[1:] == ["invalid_response: no article list", "http_status: 500"]
    assert all(r.stage == "discover" for r in results if isinstance(r, FetchFailure))
