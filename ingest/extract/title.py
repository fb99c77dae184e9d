"""The article's headline without the site's decoration.

``<title>`` and ``og:title`` usually carry " | Outlet" or "Outlet - ", while the JSON-LD
headline and the visible ``<h1>`` rarely do; so the JSON-LD headline wins, then the
reading most sources agree on, each stripped of segments that resemble the site name.
Double quotation marks around a phrase are headline styling: when another source states
the same headline without them, that plainer form is kept, so one story's titles compare
equal across the sources that do and do not style it.
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
_DOUBLE_QUOTES = re.compile("[\"“”„«»]")


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


def title_segments(page: PageMetadata) -> list[str]:
    """Every separator-delimited piece of ``<title>`` and og:title: shown as breadcrumbs or
    kickers near the text, never a paragraph of it on their own."""
    raw = [page.first_meta("og:title"), clean_text(page.tree.xpath("string(//head/title)"))]
    return [part for title in raw if title for part in _SEPARATOR.split(title)[::2] if part.strip()]


def _plain_form(title: str, readings: list[str]) -> str:
    """The reading that says ``title`` without its double quotation marks, if one does."""
    bare = " ".join(_DOUBLE_QUOTES.sub("", title).split())
    return bare if bare != title and bare in readings else title


def choose_title(page: PageMetadata, names: tuple[str, ...]) -> str | None:
    """The headline: JSON-LD first, else the majority of og:title, ``<h1>`` and ``<title>``."""
    readings = _readings(page, names)
    if headline := _json_ld_headline(page, names):
        return _plain_form(headline, readings)
    if not readings:
        logger.debug("page states no title")
        return None
    votes = Counter(name_key(c) for c in readings)
    return _plain_form(max(readings, key=lambda c: votes[name_key(c)]), readings)  # max keeps the first on ties
