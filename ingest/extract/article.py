"""The extraction step: one decoded HTML page in, one ExtractedArticle (or NotAnArticle) out."""

from __future__ import annotations

import logging
from urllib.parse import urljoin, urlsplit

from ingest.extract.authors import find_authors
from ingest.extract.body import extract_paragraphs, visible_standfirst, without
from ingest.extract.dates import find_published
from ingest.extract.errors import NotAnArticle
from ingest.extract.language import detect_language
from ingest.extract.metadata import PageMetadata, parse_page
from ingest.extract.options import DEFAULT, ExtractOptions
from ingest.extract.pagekind import LIVE_BLOG, check_body, check_is_html, page_kind
from ingest.extract.sitename import site_names
from ingest.extract.subheads import restore_subheads
from ingest.extract.title import choose_title, title_readings, title_segments
from ingest.records import ExtractedArticle
from ingest.urls import canonicalize_url, outlet_of

logger = logging.getLogger(__name__)


def canonical_url(page: PageMetadata, url: str) -> str:
    """The page's canonical link when it stays on the same site and is http(s), else ``url``."""
    link = page.canonical_link
    if link:
        absolute = urljoin(url, link)
        if urlsplit(absolute).scheme in ("http", "https") and outlet_of(absolute) == outlet_of(url):
            return canonicalize_url(absolute)
    return canonicalize_url(url)


def _description(page: PageMetadata) -> str | None:
    return page.first_meta("og:description", "description", "twitter:description")


def extract_article(html: str, url: str, options: ExtractOptions = DEFAULT) -> ExtractedArticle:
    """Main text and metadata of an article page; raises NotAnArticle for anything else."""
    check_is_html(html)
    page = parse_page(html)
    if page is None:
        raise NotAnArticle("unparseable", "lxml found no document")
    kind = page_kind(page)
    if kind == LIVE_BLOG and options.reject_live_blogs:
        raise NotAnArticle("live_blog", "JSON-LD declares a LiveBlogPosting")
    final_url = canonical_url(page, url)
    names = site_names(page, final_url)
    description = _description(page)
    furniture = {*title_readings(page, names), *title_segments(page), *names, *page.section_labels()}
    paragraphs = extract_paragraphs(
        html, url, options, furniture=furniture, standfirst=visible_standfirst(page, description)
    )
    byline = find_authors(page, names, paragraphs)
    authors = byline.authors
    paragraphs = restore_subheads(page, without(paragraphs, {*byline.lines, *authors, ", ".join(authors)}))
    text = "\n\n".join(paragraphs)
    check_body(page, text, options)
    published_at, published_date = find_published(page, final_url)
    logger.debug("%s: %d paragraphs, %d authors, date %s", final_url, len(paragraphs), len(authors), published_date)
    return ExtractedArticle(
        url=final_url,
        outlet=outlet_of(final_url),
        title=choose_title(page, names),
        authors=authors,
        published_at=published_at,
        published_date=published_date,
        language=detect_language(
            page, text, options.language_override_min_chars, options.language_override_min_confidence
        ),
        text=text,
        site_name=page.first_meta("og:site_name"),
        description=description,
        page_kind=kind,
    )
