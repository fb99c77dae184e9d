"""Author names: people, or the news agency a story came from, never the outlet itself.

Bylines come as JSON-LD objects, ``author`` meta tags or visible "By X and Y" lines, and
carry noise (emails, job titles, "Staff", "in Valencia"); the first source that yields a
clean name wins, because sources disagree more in spelling than in substance.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from typing import Any

from ingest.extract.metadata import PageMetadata, clean_text, types_of
from ingest.extract.sitename import resembles_site

logger = logging.getLogger(__name__)

# Canonical agency name -> how bylines write it (matched as whole words).
_AGENCIES: dict[str, str] = {
    "AFP": r"AFP|Agence France[- ]Presse",
    "Reuters": r"Reuters",
    "Associated Press": r"AP|Associated Press",
    "Yonhap": r"Yonhap|연합뉴스",
    "TASS": r"TASS|ТАСС",
    "Xinhua": r"Xinhua|新华社",
    "Kyodo": r"Kyodo|共同通信",
    "dpa": r"dpa|DPA|Deutsche Presse-Agentur",
    "EFE": r"EFE",
    "ANSA": r"ANSA",
    "Bloomberg": r"Bloomberg",
    "PA": r"PA|PA Media|Press Association",
}
_AGENCY_PATTERNS = [(name, re.compile(rf"(?<!\w)(?:{pattern})(?!\w)")) for name, pattern in _AGENCIES.items()]
_SPLIT = re.compile(r"\s*(?:,|;|\||/|&|\band\b|\bund\b|\bet\b|\by\b|\bi\b|\bи\b|、|،)\s*", re.IGNORECASE)
# Only unambiguous byline words: "di", "av", "door" also start surnames (Di Stefano).
_BY = re.compile(r"^(?:by|written by|von|par|por|от|автор)\s*:?\s+", re.IGNORECASE)
_NOISE = re.compile(r"\S+@\S+|https?://\S+|\(.*?\)|\[.*?\]|\bfor\s+\S+\.(?:com|co\.uk)\b.*$", re.IGNORECASE)
_ROLE = re.compile(
    r"\b(?:staff|reporter|correspondent|editor|editorial|writer|columnist|contributor|journalist|"
    r"photographer|news ?desk|desk|team|bureau|redaktion|rédaction|redacción|redazione|newsroom|"
    r"agencies|agency|online|senior|chief|political|updated|published|news|media)\b",
    re.IGNORECASE,
)
_MAX_WORDS = 5
_MAX_CHARS = 60


def _agency(text: str) -> str | None:
    for name, pattern in _AGENCY_PATTERNS:
        if pattern.search(text):
            return name
    return None


def _plausible_person(name: str) -> bool:
    """A short run of words without digits; lower-case or dotted handles are logins, not names."""
    words = name.split()
    if not 0 < len(words) <= _MAX_WORDS or not 2 <= len(name) <= _MAX_CHARS:
        return False
    if any(ch.isdigit() for ch in name):
        return False
    return not name.islower() and (len(words) > 1 or not any(ch in name for ch in "._@"))


def clean_authors(raw: Iterable[str], site_names: tuple[str, ...]) -> list[str]:
    """Split, de-noise and de-duplicate byline strings into names (agencies canonicalised)."""
    names: list[str] = []
    for value in raw:
        text = _NOISE.sub(" ", clean_text(value))
        for part in _SPLIT.split(_BY.sub("", text.strip())):
            part = _BY.sub("", part.strip(" .:-–—·"))
            if not part:
                continue
            if agency := _agency(part):
                names.append(agency)
            elif not _ROLE.search(part) and not resembles_site(part, site_names) and _plausible_person(part):
                names.append(part)
    unique: dict[str, str] = {}
    for name in names:
        unique.setdefault(name.casefold(), name)
    return list(unique.values())


def _ld_author_values(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        name = value.get("name")
        if not isinstance(name, str):
            return []
        is_person = not types_of(value) or "Person" in types_of(value)
        return [name] if is_person or _agency(name) else []
    if isinstance(value, list):
        return [name for item in value for name in _ld_author_values(item)]
    return []


def _sources(page: PageMetadata) -> Iterable[list[str]]:
    """Candidate byline strings, one list per source, most trustworthy first."""
    yield [name for obj in page.article_objects() for name in _ld_author_values(obj.get("author"))]
    for key in ("author", "article:author", "dc.creator", "parsely-author", "sailthru.author", "byl"):
        yield [v for v in page.meta.get(key, ()) if not v.strip().startswith("http")]
    byline = page.tree.xpath(
        "//*[@rel='author' or @itemprop='author' or contains(@class,'byline') or contains(@class,'author-name')]"
    )
    yield [clean_text(el.text_content()) for el in byline[:3] if len(el.text_content()) < 200]


def find_authors(page: PageMetadata, site_names: tuple[str, ...]) -> tuple[str, ...]:
    """Authors from the first source that yields at least one clean name."""
    for raw in _sources(page):
        if names := clean_authors(raw, site_names):
            return tuple(names)
    logger.debug("no author names found")
    return ()
