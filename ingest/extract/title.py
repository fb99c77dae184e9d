"""The article's headline without the site's decoration.

``<title>`` and ``og:title`` usually carry " | Outlet" or "Outlet - ", while the JSON-LD
headline and the visible ``<h1>`` rarely do; so the JSON-LD headline wins, then the
reading most sources agree on, each stripped of segments that resemble the site name.
"""

from __future__ import annotations

import logging
import re
from collections import Counter

from ingest.extract.metadata import PageMetadata, clean_text
from ingest.extract.sitename import name_key, resembles_site

logger = logging.getLogger(__name__)

# " | ", " - ", " – ", " — ", " :: ", " · ", " » ", "--": how sites glue their name on.
_SEPARATOR = re.compile(r"(\s+(?:[|\-–—·•»/]|::)\s+|\s*\|\s*|--)")


def strip_site_affixes(title: str, names: tuple[str, ...]) -> str:
    """Drop leading/trailing separator-delimited segments that resemble the site name."""
    parts = _SEPARATOR.split(title)  # text, sep, text, sep, ...
    while len(parts) > 2 and resembles_site(parts[-1], names):
        parts = parts[:-2]
    while len(parts) > 2 and resembles_site(parts[0], names):
        parts = parts[2:]
    return "".join(parts).strip()


def _trim_to_shorter_reading(title: str, others: list[str]) -> str:
    """``Headline - Section | Site`` becomes ``Headline`` when another source says just that."""
    for other in others:
        if other != title and title.startswith(other) and _SEPARATOR.match(title, len(other)):
            return other
    return title


def _headings(page: PageMetadata, names: tuple[str, ...]) -> list[str]:
    texts = (clean_text(h1.text_content()) for h1 in page.tree.iter("h1"))
    return [text for text in texts if text and not resembles_site(text, names)][:1]


def _json_ld_headline(page: PageMetadata, names: tuple[str, ...]) -> str | None:
    for obj in page.article_objects():
        headline = obj.get("headline")
        if isinstance(headline, str) and (cleaned := strip_site_affixes(clean_text(headline), names)):
            return cleaned
    return None


def _readings(page: PageMetadata, names: tuple[str, ...]) -> list[str]:
    """og:title, the first ``<h1>`` and ``<title>``, each without site decoration."""
    raw = [page.first_meta("og:title"), *_headings(page, names), clean_text(page.tree.xpath("string(//head/title)"))]
    candidates = [c for c in (strip_site_affixes(r, names) for r in raw if r) if c]
    return [_trim_to_shorter_reading(c, candidates) for c in candidates]


def title_readings(page: PageMetadata, names: tuple[str, ...]) -> list[str]:
    """Every headline the page states (JSON-LD, og:title, ``<h1>``, ``<title>``), cleaned."""
    headline = _json_ld_headline(page, names)
    return ([headline] if headline else []) + _readings(page, names)


def choose_title(page: PageMetadata, names: tuple[str, ...]) -> str | None:
    """The headline: JSON-LD first, else the majority of og:title, ``<h1>`` and ``<title>``."""
    if headline := _json_ld_headline(page, names):
        return headline
    candidates = _readings(page, names)
    if not candidates:
        logger.debug("page states no title")
        return None
    votes = Counter(name_key(c) for c in candidates)
    return max(candidates, key=lambda c: votes[name_key(c)])  # max keeps the first on ties
