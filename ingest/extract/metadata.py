"""One parse of the page and the structured metadata the other steps read.

Titles, dates, authors and language all come from the same places (JSON-LD, ``<meta>``
tags, ``<html lang>``, the canonical link), so they are collected once here.
"""

from __future__ import annotations

import html
import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from lxml import html as lxml_html
from lxml.etree import ParserError

logger = logging.getLogger(__name__)

# schema.org types whose object describes the article itself.
_ARTICLE_TYPE = re.compile(r"(Article|BlogPosting|Report)$")
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


@dataclass(frozen=True)
class PageMetadata:
    """The parsed page plus its JSON-LD objects and ``<meta>`` values."""

    tree: lxml_html.HtmlElement
    json_ld: tuple[dict[str, Any], ...]
    meta: dict[str, tuple[str, ...]]  # lower-cased name/property/itemprop -> contents, page order

    def first_meta(self, *keys: str) -> str | None:
        """The first non-empty content among the given meta keys, in key order."""
        for key in keys:
            for value in self.meta.get(key, ()):
                if value.strip():
                    return clean_text(value)
        return None

    def article_objects(self) -> list[dict[str, Any]]:
        """JSON-LD objects typed as an article (NewsArticle, BlogPosting, ...)."""
        return [obj for obj in self.json_ld if any(_ARTICLE_TYPE.search(t) for t in types_of(obj))]

    def objects_of_type(self, *names: str) -> list[dict[str, Any]]:
        return [obj for obj in self.json_ld if set(types_of(obj)) & set(names)]

    def section_labels(self) -> list[str]:
        """Section and breadcrumb names ("World", "Local"): shown near the text, never part of it."""
        labels = list(self.meta.get("article:section", ()))
        for obj in self.article_objects():
            section = obj.get("articleSection")
            labels += section if isinstance(section, list) else [section]
        for crumbs in self.objects_of_type("BreadcrumbList"):
            for item in crumbs.get("itemListElement") or []:
                if isinstance(item, dict):
                    inner = item.get("item")
                    labels += [item.get("name"), inner.get("name") if isinstance(inner, dict) else None]
        return [clean_text(label) for label in labels if isinstance(label, str) and label.strip()]

    @property
    def html_lang(self) -> str | None:
        return self.tree.get("lang") or self.tree.get("{http://www.w3.org/XML/1998/namespace}lang")

    @property
    def canonical_link(self) -> str | None:
        for link in self.tree.xpath("//link[@href]"):
            if "canonical" in (link.get("rel") or "").lower().split():
                return link.get("href").strip()
        return None


def clean_text(value: str) -> str:
    """Unescape entities (JSON-LD often carries them) and collapse whitespace."""
    return " ".join(html.unescape(value).split())


def types_of(obj: dict[str, Any]) -> list[str]:
    kind = obj.get("@type", [])
    return [k for k in (kind if isinstance(kind, list) else [kind]) if isinstance(k, str)]


def _flatten(node: Any) -> Iterator[dict[str, Any]]:
    """Top-level JSON-LD objects, with ``@graph`` members lifted to the top."""
    if isinstance(node, list):
        for item in node:
            yield from _flatten(item)
    elif isinstance(node, dict):
        if "@graph" in node:
            yield from _flatten(node["@graph"])
        if "@type" in node:
            yield node


def _json_ld(tree: lxml_html.HtmlElement) -> tuple[dict[str, Any], ...]:
    objects: list[dict[str, Any]] = []
    for script in tree.xpath("//script[@type='application/ld+json']"):
        raw = _CONTROL_CHARS.sub(" ", script.text_content() or "").strip()
        if not raw:
            continue
        try:
            objects.extend(_flatten(json.loads(raw, strict=False)))
        except json.JSONDecodeError:
            logger.debug("skipping malformed JSON-LD block")
    return tuple(objects)


def _meta_tags(tree: lxml_html.HtmlElement) -> dict[str, tuple[str, ...]]:
    found: dict[str, list[str]] = {}
    for tag in tree.xpath("//meta[@content]"):
        for attr in ("property", "name", "itemprop", "http-equiv"):
            if key := (tag.get(attr) or "").strip().lower():
                found.setdefault(key, []).append(tag.get("content"))
    return {key: tuple(values) for key, values in found.items()}


_PARSER = lxml_html.HTMLParser(encoding="utf-8", remove_comments=True)


def parse_page(text: str) -> PageMetadata | None:
    """Parse HTML text; None when lxml finds no document in it."""
    try:
        tree = lxml_html.document_fromstring(text.encode("utf-8"), parser=_PARSER)
    except (ParserError, ValueError):
        return None
    return PageMetadata(tree=tree, json_ld=_json_ld(tree), meta=_meta_tags(tree))

