"""Discovery from XML sitemaps: sitemap indexes, plain and news sitemaps, gzipped or not.

A sitemap may hold 50,000 URLs (50 MB); news sites keep hundreds of them behind one index.
Each file is streamed through the safe client and parsed incrementally (lxml's pull parser,
elements freed as soon as they are read), so memory stays at one chunk plus one entry.
Child sitemaps are followed breadth first, up to a depth and a count, and skipped when their
``<lastmod>`` is before ``since``. Each file is fetched conditionally when its validators are
known (``FeedState``), so an unchanged sitemap costs one 304.
"""

from __future__ import annotations

import logging
import zlib
from collections import deque
from collections.abc import AsyncIterator, Iterator, MutableMapping
from contextlib import aclosing
from dataclasses import dataclass
from datetime import date, datetime, timezone

from lxml import etree

from ingest.fetch import FetchError, Fetcher, FetchOptions, Response, iterate_in_background
from ingest.fetch.safety import url_problem
from ingest.records import Candidate, FetchFailure

from .feed import FeedState

logger = logging.getLogger(__name__)

MAX_SITEMAP_BYTES = 64 * 1024 * 1024  # the protocol allows 50 MB uncompressed; applies to wire and XML bytes
MAX_SITEMAPS = 1000  # files read per source and run
MAX_DEPTH = 3  # an index of indexes is already outside the protocol
_GZIP_MAGIC = b"\x1f\x8b"
_CHUNK = 1 << 16


@dataclass(frozen=True, slots=True)
class _Entry:
    """One ``<url>`` or ``<sitemap>`` element, reduced to what discovery needs."""

    is_sitemap: bool
    loc: str
    lastmod: datetime | None = None
    published: datetime | None = None
    title: str | None = None


def parse_w3c_datetime(text: str | None) -> datetime | None:
    """A sitemap date (W3C datetime: a date, or a date and time with zone) as aware UTC; None if bad."""
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


def _local(tag: object) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _fields(element: etree._Element) -> dict[str, str]:
    """Texts of an entry's own children and of its <news:news> block (not of image or video blocks)."""
    fields = {}
    for child in element:
        name = _local(child.tag)
        children = list(child) if name == "news" else [child]
        for field in children:
            fields.setdefault(_local(field.tag), (field.text or "").strip())
    return fields


class _SitemapParser:
    """Feeds bytes (gzipped or not) to a pull parser and hands out finished entries."""

    def __init__(self) -> None:
        self._parser = etree.XMLPullParser(events=("end",), resolve_entities=False, no_network=True,
                                           remove_comments=True, remove_pis=True)
        self._inflate: zlib._Decompress | None = None
        self._sniffed = False
        self.xml_bytes = 0

    def feed(self, chunk: bytes) -> list[_Entry]:
        if not self._sniffed:
            self._sniffed = True
            if chunk.startswith(_GZIP_MAGIC):
                self._inflate = zlib.decompressobj(wbits=31)
        if self._inflate is None:
            return self._parse(chunk)
        entries = []
        data = chunk
        while data:  # bounded output per call: a gzip bomb is stopped at MAX_SITEMAP_BYTES
            entries += self._parse(self._inflate.decompress(data, _CHUNK))
            data = self._inflate.unconsumed_tail
        return entries

    def close(self) -> str:
        """Finish the document; return its root element's name."""
        root = self._parser.close()
        return _local(root.tag)

    def _parse(self, xml: bytes) -> list[_Entry]:
        self.xml_bytes += len(xml)
        if self.xml_bytes > MAX_SITEMAP_BYTES:
            raise FetchError(f"too_large: > {MAX_SITEMAP_BYTES} bytes of XML")
        self._parser.feed(xml)
        entries = []
        for _, element in self._parser.read_events():
            name = _local(element.tag)
            if name not in ("url", "sitemap"):
                continue
            fields = _fields(element)
            if fields.get("loc"):
                entries.append(_Entry(is_sitemap=name == "sitemap", loc=fields["loc"],
                                      lastmod=parse_w3c_datetime(fields.get("lastmod")),
                                      published=parse_w3c_datetime(fields.get("publication_date")),
                                      title=fields.get("title") or None))
            element.clear()
            while element.getprevious() is not None:  # free the entries already read
                del element.getparent()[0]
        return entries


class _SitemapReader:
    """Reads one source's sitemap tree with one client, so pacing and robots rules span all files."""

    def __init__(self, source_name: str, since: date | None, states: MutableMapping[str, FeedState]) -> None:
        self.source_name = source_name
        self.since = since
        self.states = states
        self.now = datetime.now(timezone.utc)

    def failure(self, url: str, reason: str, http_status: int | None = None) -> FetchFailure:
        logger.warning("sitemap %s: %s", url, reason)
        return FetchFailure(source_name=self.source_name, url=url, stage="discover", reason=reason,
                            attempted_at=self.now, http_status=http_status)

    def is_old(self, moment: datetime | None) -> bool:
        return self.since is not None and moment is not None and moment.date() < self.since

    async def read_tree(self, fetcher: Fetcher, url: str) -> AsyncIterator[Candidate | FetchFailure]:
        queue: deque[tuple[str, int]] = deque([(url, 0)])
        queued = {url}
        read = 0
        while queue:
            current, depth = queue.popleft()
            if read >= MAX_SITEMAPS:
                yield self.failure(current, f"too_many_sitemaps: more than {MAX_SITEMAPS}, {len(queue) + 1} left")
                return
            read += 1
            async with aclosing(self.read_file(fetcher, current)) as entries:
                async for entry in entries:
                    item = self.visit(entry, depth, queue, queued)
                    if item is not None:
                        yield item

    def visit(self, entry: _Entry | FetchFailure, depth: int, queue: deque[tuple[str, int]],
              queued: set[str]) -> Candidate | FetchFailure | None:
        """What one entry of a file at ``depth`` gives: a candidate, a failure, or a child queued."""
        if isinstance(entry, FetchFailure):
            return entry
        if entry.is_sitemap:
            if depth + 1 > MAX_DEPTH:
                return self.failure(entry.loc, f"too_deep: sitemap nesting deeper than {MAX_DEPTH}")
            if entry.loc not in queued and not self.is_old(entry.lastmod):
                queued.add(entry.loc)
                queue.append((entry.loc, depth + 1))
            return None
        if (problem := url_problem(entry.loc)) is not None:
            return self.failure(entry.loc, f"invalid_entry: {problem}")
        if self.is_old(entry.published or entry.lastmod):
            return None
        return Candidate(source_name=self.source_name, url=entry.loc, discovered_at=self.now,
                         hint_title=entry.title, hint_published=entry.published or entry.lastmod)

    async def read_file(self, fetcher: Fetcher, url: str) -> AsyncIterator[_Entry | FetchFailure]:
        """Entries of one sitemap file; its validators are kept only once it was read to the end."""
        state = self.states.get(url)
        parser = _SitemapParser()
        head: Response | None = None
        try:
            stream = fetcher.stream(url, headers=state.request_headers() if state else None,
                                    max_bytes=MAX_SITEMAP_BYTES)
            async with aclosing(stream):  # a parse error must not leave the response open
                async for item in stream:
                    if isinstance(item, Response):
                        head = item
                        continue
                    for entry in parser.feed(item):
                        yield entry
            assert head is not None
            if head.status == 304:
                logger.info("sitemap %s not modified", url)
                return
            if not 200 <= head.status < 300:
                yield self.failure(url, f"http_status: {head.status}", head.status)
                return
            root = parser.close()
            if root not in ("urlset", "sitemapindex"):
                yield self.failure(url, f"invalid_sitemap: root element <{root}>", head.status)
                return
        except FetchError as exc:
            yield self.failure(url, exc.reason, exc.http_status)
            return
        except etree.XMLSyntaxError as exc:
            yield self.failure(url, f"invalid_sitemap: {exc}", head.status if head else None)
            return
        except zlib.error as exc:
            yield self.failure(url, f"invalid_sitemap: gzip: {exc}", head.status if head else None)
            return
        self.states[url] = FeedState(etag=head.headers.get("etag"), last_modified=head.headers.get("last-modified"))


async def _discover(url: str, options: FetchOptions, reader: _SitemapReader) -> AsyncIterator[Candidate | FetchFailure]:
    async with Fetcher(options) as fetcher, aclosing(reader.read_tree(fetcher, url)) as items:
        async for item in items:
            yield item


def discover_sitemap(url: str, source_name: str, options: FetchOptions, since: date | None = None,
                     states: MutableMapping[str, FeedState] | None = None) -> Iterator[Candidate | FetchFailure]:
    """Yield one ``Candidate`` per page URL of the sitemap at ``url`` and the sitemaps it lists.

    ``<news:publication_date>`` (else ``<lastmod>``) becomes the hint_published and
    ``<news:title>`` the hint_title; entries dated before ``since`` are skipped, undated ones
    kept. ``states`` maps sitemap URLs to their validators: read before each request and
    updated after each file read to its end. Every unusable file (HTTP error, not XML, not a
    sitemap, too large, too many or too deep) is one ``FetchFailure(stage="discover")``, after
    the entries read before the problem.
    """
    reader = _SitemapReader(source_name, since, states if states is not None else {})
    return iterate_in_background(_discover(url, options, reader))
