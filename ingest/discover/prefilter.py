"""A cheap keyword pre-filter for archive records, applied before a page is landed.

Most of CC-NEWS is off topic (a few hundred thousand pages a day). Extracting a page costs
tens of milliseconds; decoding its head and searching it for the topic's names costs a few
hundred microseconds at most, and much less for short heads. The filter is tuned for recall:
it only drops pages that cannot be on topic, the topic rule (``ingest.topic``) decides on the
rest after extraction.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable

from ingest.topic import DEFAULT_TOPIC

# Where a page names its subject: the <head> (title, description, keywords) and the top of the body.
HEAD_BYTES = 64 * 1024
_TITLE_BYTES = 2048
_META_CHARSET = re.compile(rb"""charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def _codec(charset: str | None, payload: bytes) -> str:
    """The payload's encoding: the HTTP header's, else the page's meta tag, else UTF-8."""
    if not charset:
        declared = _META_CHARSET.search(payload, 0, 2048)
        charset = declared.group(1).decode("ascii") if declared else None
    try:
        return codecs.lookup(charset).name if charset else "utf-8"
    except LookupError:
        return "utf-8"


class Prefilter:
    """Says whether a page may be about the topic: any term in its decoded head or its <title>.

    Terms are searched with ``str.find`` in the lower-cased text: several times faster than
    one regular expression of alternatives, and a non-ASCII term costs nothing on an ASCII page.
    """

    def __init__(self, terms: Iterable[str] = DEFAULT_TOPIC.prefilter_terms, head_bytes: int = HEAD_BYTES) -> None:
        self._terms = tuple(term.lower() for term in terms)
        self._head_bytes = head_bytes

    def may_match(self, payload: bytes, charset: str | None = None) -> bool:
        codec = _codec(charset, payload)
        segments = [payload[: self._head_bytes]]
        if len(payload) > self._head_bytes:
            # A page whose <head> is longer than the window (inline scripts) still shows its title.
            title = payload.find(b"<title", self._head_bytes)
            if title >= 0:
                segments.append(payload[title : title + _TITLE_BYTES])
        for segment in segments:
            text = segment.decode(codec, errors="replace").lower()
            if any(term in text for term in self._terms):
                return True
        return False
