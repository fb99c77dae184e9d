"""Discovery from RSS 0.9x/1.0/2.0 and Atom feeds, fetched with the safe client."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone

import feedparser

from ingest.fetch import FetchError, FetchOptions, get_once
from ingest.fetch.safety import url_problem
from ingest.records import Candidate, FetchFailure

logger = logging.getLogger(__name__)


@dataclass
class FeedState:
    """HTTP validators of a feed's last 200 answer; persist it so an unchanged feed costs a 304.

    ``discover_feed`` updates the object it is given in place once the feed has been fetched.
    """

    etag: str | None = None
    last_modified: str | None = None

    def request_headers(self) -> dict[str, str]:
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


def _as_utc(parsed: time.struct_time | None) -> datetime | None:
    """feedparser normalises dates to UTC struct_time; make them aware datetimes."""
    return datetime(*parsed[:6], tzinfo=timezone.utc) if parsed else None


def discover_feed(url: str, source_name: str, options: FetchOptions,
                  state: FeedState | None = None) -> Iterator[Candidate | FetchFailure]:
    """Yield one ``Candidate`` per feed entry link, with its title and publication time as hints.

    Any media type is accepted (feeds are served as rss+xml, atom+xml, xml, even text/html);
    feedparser decides. A fetch problem, a non-2xx answer or an unparsable feed yields one
    ``FetchFailure(stage="discover")``; a 304 yields nothing. Call it from synchronous code:
    it runs its own short event loop.
    """
    now = datetime.now(timezone.utc)

    def failure(reason: str, http_status: int | None = None, failed_url: str = url) -> FetchFailure:
        logger.warning("feed %s: %s", url, reason)
        return FetchFailure(source_name=source_name, url=failed_url, stage="discover", reason=reason,
                            attempted_at=now, http_status=http_status)

    try:
        response = get_once(url, options, headers=state.request_headers() if state else {})
    except FetchError as exc:
        yield failure(exc.reason, exc.http_status)
        return
    if response.status == 304:
        logger.info("feed %s not modified", url)
        return
    if not 200 <= response.status < 300:
        yield failure(f"http_status: {response.status}", response.status)
        return
    if state is not None:
        state.etag = response.headers.get("etag")
        state.last_modified = response.headers.get("last-modified")

    parsed = feedparser.parse(response.body, response_headers={
        "content-location": response.final_url,
        "content-type": response.headers.get("content-type", ""),
    })
    if not any(entry.get("link") for entry in parsed.entries) and (parsed.bozo or not parsed.version):
        yield failure(f"invalid_feed: {parsed.get('bozo_exception') or 'no feed found'}", response.status)
        return
    if parsed.bozo:
        logger.info("feed %s is not well-formed (%s); using the %d entries parsed",
                    url, parsed.get("bozo_exception"), len(parsed.entries))
    for entry in parsed.entries:
        link = (entry.get("link") or "").strip()
        problem = url_problem(link) if link else "no link"
        if problem:
            yield failure(f"invalid_entry: {problem}", failed_url=link or url)
            continue
        yield Candidate(source_name=source_name, url=link, discovered_at=now, hint_title=entry.get("title"),
                        hint_published=_as_utc(entry.get("published_parsed") or entry.get("updated_parsed")))
