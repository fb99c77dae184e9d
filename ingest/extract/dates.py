"""Publication date: the page's own structured claims first, heuristics last.

A time with an offset becomes an aware datetime; a bare date (or a time without an
offset, whose zone we would have to guess) is kept as a date only.
"""

from __future__ import annotations

import logging
import re
from copy import deepcopy
from datetime import UTC, date, datetime

from htmldate import find_date

from ingest.extract.metadata import PageMetadata

logger = logging.getLogger(__name__)

_META_KEYS = (
    "article:published_time", "og:article:published_time", "datepublished", "publishdate",
    "publish-date", "pubdate", "parsely-pub-date", "sailthru.date", "dc.date.issued",
    "dcterms.issued", "dc.date", "dcterms.created", "date", "cxenseparse:recs:publishtime",
)
_EPOCH_MS = re.compile(r"^\d{12,13}$")
_EPOCH_S = re.compile(r"^\d{9,10}$")
_MIN_YEAR = 1995


def parse_date(value: str) -> tuple[datetime | None, date | None]:
    """(aware datetime or None, date) from an ISO 8601 string or a Unix epoch; (None, None) if unreadable."""
    value = value.strip()
    try:
        if _EPOCH_MS.match(value) or _EPOCH_S.match(value):
            seconds = int(value) / (1000 if len(value) > 10 else 1)
            moment = datetime.fromtimestamp(seconds, tz=UTC)
        else:
            moment = datetime.fromisoformat(value.replace(" ", "T", 1) if len(value) > 10 else value)
    except (ValueError, OverflowError, OSError):
        return None, None
    if moment.year < _MIN_YEAR:
        return None, None
    if moment.tzinfo is None:
        return None, moment.date()
    return moment, moment.date()


def _structured_values(page: PageMetadata) -> list[str]:
    values = [obj.get(key) for obj in page.article_objects() for key in ("datePublished", "dateCreated")]
    values += [page.first_meta(key) for key in _META_KEYS]
    values += page.tree.xpath("//*[@itemprop='datePublished']/@datetime | //time[@pubdate]/@datetime")
    values += page.tree.xpath("(//article//time/@datetime | //time/@datetime)[1]")
    return [v for v in values if isinstance(v, str) and v.strip()]


def find_published(page: PageMetadata, url: str) -> tuple[datetime | None, date | None]:
    """(published_at, published_date) from JSON-LD, meta, ``<time>``, then htmldate."""
    for value in _structured_values(page):
        moment, day = parse_date(value)
        if day is not None:
            return moment, day
    guessed = find_date(deepcopy(page.tree), url=url, original_date=True, extensive_search=True)
    if guessed:
        logger.debug("date from htmldate heuristics: %s", guessed)
        return None, date.fromisoformat(guessed)
    return None, None
