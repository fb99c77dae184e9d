"""Tell article pages from the other pages a crawler meets, before trusting their text.

Section fronts and paywall teasers yield *some* text, but it is not one article's text:
counting it would credit an outlet with stories it never ran. Live blogs are different:
their updates are the outlet's own reporting (often the first place a development is
covered), so they are extracted and marked with ``page_kind = "live_blog"`` for analysts
to keep or filter; ``ExtractOptions.reject_live_blogs`` turns them back into NotAnArticle.
"""

from __future__ import annotations

import logging
import re

from ingest.extract.errors import NotAnArticle
from ingest.extract.metadata import PageMetadata
from ingest.extract.options import ExtractOptions

logger = logging.getLogger(__name__)

_HTML_START = re.compile(r"<(?:!doctype\s+html|html|head|body|div|p|article)\b", re.IGNORECASE)
# Each CJK/kana character counts as a word; elsewhere runs of word characters do.
_WORD = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]|[^\W\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]+")
_PAYWALL = re.compile(
    r"subscribe to (?:continue|read)|subscribers only|already a subscriber|to continue reading|"
    r"this (?:article|story|content) is (?:for|available to|exclusive to) (?:subscribers|members)",
    re.IGNORECASE,
)
_HEADLINE_WORDS = 4


def count_words(text: str) -> int:
    return len(_WORD.findall(text))


def check_is_html(text: str) -> None:
    """Raise ``not_html`` for binary or tag-less content (PDFs, images, JSON, plain text)."""
    head = text[:20000]
    if "\x00" in head or not _HTML_START.search(head):
        raise NotAnArticle("not_html", "no HTML markup found")


ARTICLE = "article"
LIVE_BLOG = "live_blog"


def page_kind(page: PageMetadata) -> str:
    """``live_blog`` when the JSON-LD declares a LiveBlogPosting (or its updates), else ``article``."""
    if page.objects_of_type("LiveBlogPosting") or any(o.get("liveBlogUpdate") for o in page.json_ld):
        return LIVE_BLOG
    return ARTICLE


def _headline_links(page: PageMetadata) -> int:
    """Links whose text reads like a headline (several words), outside header/nav/footer."""
    anchors = page.tree.xpath("//body//a[not(ancestor::nav or ancestor::header or ancestor::footer)]")
    return sum(1 for a in anchors if count_words(a.text_content()) >= _HEADLINE_WORDS)


def check_body(page: PageMetadata, text: str, options: ExtractOptions) -> None:
    """Raise for pages whose extracted text is missing, a teaser, or a list of links."""
    words = count_words(text)
    logger.debug("%d words of body text", words)
    is_article = bool(page.article_objects()) or (page.first_meta("og:type") or "").lower() == "article"
    if not is_article:
        links = _headline_links(page)
        if links >= options.index_min_headline_links and words < links * options.index_max_prose_per_link:
            raise NotAnArticle("index_page", f"{links} headline links around {words} words of prose")
    if words < options.paywall_max_words:
        free = [o.get("isAccessibleForFree") for o in page.article_objects()]
        if any(str(f).lower() == "false" for f in free) or _PAYWALL.search(text):
            raise NotAnArticle("paywall_stub", f"{words} words behind a paywall")
    if words < options.min_body_words:
        raise NotAnArticle("empty_body", f"{words} words of body text")
