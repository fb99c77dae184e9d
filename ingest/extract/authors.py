"""Author names: people, or the news agency a story came from, never the outlet itself.

Bylines come as JSON-LD objects, ``author`` meta tags, visible byline elements or a line of
the body ("By X and Y", a bold name above the text), and carry noise (emails, job titles,
"Staff", "in Valencia"); the first structured source that yields a clean name wins, because
sources disagree more in spelling than in substance. WordPress accounts such as
``/author/admin/`` publish on behalf of whoever wrote the story and are skipped.

When no person or agency is named, the page's own credit stands in, so staff copy is told
apart from an unknown byline: a desk credit ("Guardian staff reporter", "IN-Redaktion"),
then a JSON-LD author explicitly typed as an organisation. Editors ("责编", "Editing by")
are not authors. A site name in a plain ``author`` string is never an author.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
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
_DESK = re.compile(
    r"(?:\b|(?<=-))(?:staff|desk|newsroom|redaktion|rédaction|redacción|redazione|редакция|редакція)\b",
    re.IGNORECASE,
)
# WordPress and CMS logins that post on others' behalf: /author/admin/, /user/webmaster.
_ACCOUNT_URL = re.compile(r"/(?:authors?|users?|profiles?)/(?:admin\w*|administrator|webmaster|root|wp-?admin)/?$", re.I)
_NAME_AND_ROLE = re.compile(r"^(?P<name>[^|,–—]{3,40}?)\s*[|,–—]\s*(?P<role>[^|,–—]{3,40})$")
# Job titles written after a name without a separator ("김민수 기자", "王伟 记者"): dropped, the name stays.
_TRAILING_TITLE = re.compile(r"\s+(?:선임기자|기자|특파원|논설위원|特约记者|记者|記者|特派員|編集委員)$")
_MAX_WORDS = 5
_MAX_CHARS = 60
_MAX_DESK_WORDS = 4
_BYLINE_MAX_CHARS = 100
_LEAD_PARAGRAPHS = 2  # a byline sits above the text or ends it


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
            part = _TRAILING_TITLE.sub("", _BY.sub("", part.strip(" .:-–—·")))
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


@dataclass(frozen=True)
class Byline:
    """The authors, and the body paragraphs that only state them (dropped from the text)."""

    authors: tuple[str, ...]
    lines: frozenset[str] = frozenset()


def is_account(url: str | None) -> bool:
    return bool(url) and bool(_ACCOUNT_URL.search(url.rstrip("#")))


def _is_organisation(value: dict[str, Any]) -> bool:
    return any(kind.endswith(("Organization", "Corporation")) for kind in types_of(value))


def _ld_authors(page: PageMetadata) -> list[dict[str, Any] | str]:
    """JSON-LD author entries of the article objects, flattened, accounts left out."""
    found: list[dict[str, Any] | str] = []
    for obj in page.article_objects():
        value = obj.get("author")
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str) or (
                isinstance(item, dict) and isinstance(item.get("name"), str)
                and not is_account(item.get("url")) and not is_account(item.get("@id"))
            ):
                found.append(item)
    return found


def _ld_names(page: PageMetadata, *, organisations: bool) -> list[str]:
    """Names of JSON-LD authors: people (and agencies) or, with ``organisations``, organisations."""
    names = []
    for item in _ld_authors(page):
        if isinstance(item, str):
            names += [] if organisations else [item]
        elif organisations == _is_organisation(item) or (not organisations and _agency(item["name"])):
            names.append(item["name"])
    return names


def _sources(page: PageMetadata) -> Iterable[list[str]]:
    """Candidate byline strings, one list per source, most trustworthy first."""
    yield _ld_names(page, organisations=False)
    for key in ("author", "article:author", "dc.creator", "parsely-author", "sailthru.author", "byl"):
        yield [v for v in page.meta.get(key, ()) if not v.strip().startswith("http")]
    byline = page.tree.xpath(
        "//*[@rel='author' or @itemprop='author' or contains(@class,'byline') or contains(@class,'author-name')]"
    )
    yield [
        clean_text(el.text_content())
        for el in byline[:3]
        if len(el.text_content()) < 200 and not any(map(is_account, el.xpath("descendant-or-self::a/@href")))
    ]


def _desk(text: str) -> str | None:
    """A desk or staff credit that says whose desk ("Guardian staff reporter", "IN-Redaktion",
    "Web Desk"), as written; a bare "Staff" or "News Desk" names nobody and is skipped."""
    text = clean_text(_BY.sub("", text.strip()))
    if not 0 < len(text.split()) <= _MAX_DESK_WORDS or not _DESK.search(text) or any(c.isdigit() for c in text):
        return None
    whose = _ROLE.sub("", _DESK.sub("", text))
    return text if any(c.isalnum() for c in whose) and not text.endswith((".", "!", "?", ":")) else None


def _byline_names(line: str, site_names: tuple[str, ...]) -> list[str]:
    """Names when the whole line is a byline ("By X and Y", "X | Reporter"), else []."""
    if len(line) > _BYLINE_MAX_CHARS or line.endswith((".", "!", "?", ":")):
        return []
    if _BY.match(line):
        parts = [p for p in _SPLIT.split(_BY.sub("", line)) if p.strip()]
        names = clean_authors(parts, site_names)
        return names if len(names) == len(parts) else []
    if (match := _NAME_AND_ROLE.match(line)) and _ROLE.search(match["role"]):
        return clean_authors([match["name"]], site_names)
    return []


def _bold_lines(page: PageMetadata) -> set[str]:
    """Paragraphs whose whole text is bold: how small sites set a bare byline above the text."""
    bold = page.tree.xpath("//p[(b or strong) and normalize-space(.) = normalize-space(b|strong)]")
    return {clean_text(p.text_content()) for p in bold}


def _body_bylines(paragraphs: list[str], site_names: tuple[str, ...]) -> dict[str, list[str]]:
    """Opening or closing paragraphs that are unmistakably a byline -> the names they give."""
    found: dict[str, list[str]] = {}
    for line in dict.fromkeys([*paragraphs[:_LEAD_PARAGRAPHS], *paragraphs[-1:]]):
        if names := _byline_names(line, site_names):
            found[line] = names
        elif _desk(line):
            found[line] = []
    return found


def _bold_names(page: PageMetadata, paragraphs: list[str], site_names: tuple[str, ...]) -> list[str]:
    """Opening paragraphs that are nothing but a bold, capitalised name ("MTHOBISI SITHOLE").

    Only trusted when the page names nobody else: a bold short line can also be a kicker.
    """
    bold = _bold_lines(page)
    return [
        line
        for line in paragraphs[:_LEAD_PARAGRAPHS]
        if line in bold and len(line.split()) >= 2 and not any(w[0].islower() for w in line.split())
        and clean_authors([line], site_names) == [line]
    ]


def find_authors(page: PageMetadata, site_names: tuple[str, ...], paragraphs: list[str]) -> Byline:
    """Named authors from the first structured source that has one, else the body's byline
    (a "By" line, then a bold name), else the page's desk credit, else a JSON-LD organisation."""
    body = _body_bylines(paragraphs, site_names)
    lines = frozenset(body)
    sources = list(_sources(page))
    for raw in sources:
        if names := clean_authors(raw, site_names):
            return Byline(tuple(names), lines)
    if names := clean_authors([n for names in body.values() for n in names], site_names):
        return Byline(tuple(names), lines)
    if bold := _bold_names(page, paragraphs, site_names):
        return Byline(tuple(bold), lines | set(bold))
    credits = [*(raw for source in sources for raw in source), *body]
    if desks := list(dict.fromkeys(d for raw in credits if (d := _desk(raw)))):
        return Byline(tuple(desks[:1]), lines)
    if organisations := list(dict.fromkeys(_ld_names(page, organisations=True))):
        return Byline(tuple(organisations), lines)
    logger.debug("no author names found")
    return Byline((), lines)
