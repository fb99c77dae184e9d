"""Discovery from the GDELT DOC 2.0 API (``mode=artlist``), without losing articles to its cap.

One call returns at most 250 articles. The range is queried in day windows, oldest first; a
window that comes back full is split in two and both halves are asked again, down to a
quarter of an hour. A quarter-hour window that is still full is recorded as a failure, so a
missing article is never silent. Windows do not overlap, and a URL seen twice is kept once.
"""

from __future__ import annotations

import json
import logging
from collections import deque
from collections.abc import AsyncIterator, Iterator
from contextlib import aclosing
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import httpx

from ingest.fetch import FetchError, Fetcher, FetchOptions, iterate_in_background
from ingest.fetch.safety import url_problem
from ingest.records import Candidate, FetchFailure

logger = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://api.gdeltproject.org/api/v2/doc/doc"
DEFAULT_MIN_INTERVAL = 5.0  # seconds between calls: GDELT answers faster callers with an error text
MAX_RECORDS = 250
INITIAL_WINDOW = timedelta(days=1)
MIN_WINDOW = timedelta(minutes=15)
SEARCHABLE = timedelta(days=92)  # the API's rolling window
_STAMP = "%Y%m%d%H%M%S"


def _windows(start: datetime, end: datetime) -> deque[tuple[datetime, datetime]]:
    windows: deque[tuple[datetime, datetime]] = deque()
    while start < end:
        windows.append((start, min(end, start + INITIAL_WINDOW)))
        start += INITIAL_WINDOW
    return windows


def _seen_date(text: object) -> datetime | None:
    try:
        return datetime.strptime(str(text), "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc)
    except ValueError:
        return None


class _GdeltQuery:
    """One source's query; ``call`` asks one window, ``run`` pages over the whole range."""

    def __init__(self, source_name: str, query: str, base_url: str) -> None:
        self.source_name = source_name
        self.query = query
        self.base_url = base_url
        self.now = datetime.now(timezone.utc)

    def failure(self, url: str, reason: str, http_status: int | None = None) -> FetchFailure:
        logger.warning("GDELT %s: %s", url, reason)
        return FetchFailure(source_name=self.source_name, url=url, stage="discover", reason=reason,
                            attempted_at=self.now, http_status=http_status)

    def url(self, start: datetime, end: datetime) -> str:
        """The artlist call for [start, end): GDELT's bounds are inclusive, to the second."""
        params = {"query": self.query, "mode": "artlist", "format": "json", "maxrecords": str(MAX_RECORDS),
                  "sort": "dateasc", "startdatetime": start.strftime(_STAMP),
                  "enddatetime": (end - timedelta(seconds=1)).strftime(_STAMP)}
        return str(httpx.URL(self.base_url, params=params))

    async def call(self, fetcher: Fetcher, url: str) -> list[dict[str, object]] | FetchFailure:
        try:
            response = await fetcher.get(url)
        except FetchError as exc:
            return self.failure(url, exc.reason, exc.http_status)
        if not 200 <= response.status < 300:
            return self.failure(url, f"http_status: {response.status}", response.status)
        try:
            answer = json.loads(response.body) if response.body.strip() else {}
        except ValueError:  # GDELT reports errors (rate limit, bad query) as plain text
            snippet = response.body[:120].decode("utf-8", errors="replace").strip()
            return self.failure(url, f"invalid_json: {snippet}", response.status)
        articles = answer.get("articles", []) if isinstance(answer, dict) else None
        if not isinstance(articles, list) or not all(isinstance(a, dict) for a in articles):
            return self.failure(url, "invalid_response: no article list", response.status)
        return articles

    async def run(self, fetcher: Fetcher, start: datetime, end: datetime) -> AsyncIterator[Candidate | FetchFailure]:
        windows = _windows(start, end)
        seen: set[str] = set()
        while windows:
            low, high = windows.popleft()
            url = self.url(low, high)
            articles = await self.call(fetcher, url)
            if isinstance(articles, FetchFailure):
                yield articles
                continue
            if len(articles) >= MAX_RECORDS:
                if high - low > MIN_WINDOW:
                    middle = low + timedelta(seconds=int((high - low).total_seconds()) // 2)
                    logger.debug("GDELT window %s..%s is full; splitting it", low, high)
                    windows.extendleft([(middle, high), (low, middle)])
                    continue
                yield self.failure(url, f"gdelt_capped: {MAX_RECORDS} articles in {low:%Y-%m-%d %H:%M}.."
                                        f"{high:%H:%M}; later ones in that window are missing")
            for article in articles:
                link = str(article.get("url") or "").strip()
                if link in seen:
                    continue
                seen.add(link)
                problem = url_problem(link) if link else "no url"
                if problem:
                    yield self.failure(link or url, f"invalid_entry: {problem}")
                    continue
                title = article.get("title")
                yield Candidate(source_name=self.source_name, url=link, discovered_at=self.now,
                                hint_title=title if isinstance(title, str) and title else None,
                                hint_published=_seen_date(article.get("seendate")))


async def _discover(query: _GdeltQuery, start: datetime, end: datetime,
                    options: FetchOptions) -> AsyncIterator[Candidate | FetchFailure]:
    async with Fetcher(options) as fetcher, aclosing(query.run(fetcher, start, end)) as items:
        async for item in items:
            yield item


def discover_gdelt(source_name: str, query: str, start: datetime, end: datetime, options: FetchOptions, *,
                   sourcelang: str | None = None, domain: str | None = None, base_url: str | None = None,
                   min_interval: float | None = None) -> Iterator[Candidate | FetchFailure]:
    """Yield one ``Candidate`` per article GDELT lists for ``query`` between ``start`` and ``end``.

    ``sourcelang`` and ``domain`` are added to the query as GDELT operators. Candidates carry
    the article title and GDELT's seendate as hints. Calls are spaced by ``min_interval``
    seconds (default 5, GDELT's limit) or the fetch options' per-host delay if longer. A call
    that fails or answers anything but an article list is one ``FetchFailure(stage="discover")``
    and the other windows go on.
    """
    if start < datetime.now(timezone.utc) - SEARCHABLE:
        logger.warning("GDELT DOC searches about the last three months; articles before %s may be missing", start)
    terms = [query] + [f"sourcelang:{sourcelang}"] * bool(sourcelang) + [f"domain:{domain}"] * bool(domain)
    interval = DEFAULT_MIN_INTERVAL if min_interval is None else min_interval
    paced = replace(options, per_host_delay=max(options.per_host_delay, interval))
    gdelt = _GdeltQuery(source_name, " ".join(terms), base_url or DEFAULT_BASE_URL)
    return iterate_in_background(_discover(gdelt, start, end, paced))
