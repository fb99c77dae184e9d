"""Main text: trafilatura's extraction, then a pass that drops what it lets through.

trafilatura already removes navigation and most chrome; appeals, captions, credit lines
and "read more" teasers sit inside the article container and need their own filter.
"""

from __future__ import annotations

import logging
import re

import trafilatura
from lxml import etree
from lxml.html import HtmlElement

from ingest.extract.metadata import PageMetadata
from ingest.extract.options import ExtractOptions

logger = logging.getLogger(__name__)

# Containers whose class or id marks them as page furniture inside the article body.
_FURNITURE = (
    "newsletter", "related", "most-read", "mostread", "most-popular", "recommended", "share-bar",
    "sharebar", "social-share", "signup", "sign-up", "donate", "donation", "author-bio", "authorbio",
    "read-more", "readmore", "more-stories", "outbrain", "taboola", "advert", "promo", "figcaption",
    "breadcrumb", "comments-", "caption",
)
# A small box holding a picture and one or two short lines, one of them a credit: a caption
# that is not marked up as <figure> (React image widgets).
_CREDIT_LABELS = ("Image:", "Photo:", "Picture:", "Foto:", "Bild:", "Credit:", "Фото:")
_CAPTION_BOX_MAX_CHARS = 300
_MARKED_CAPTIONS = "//figcaption | //figure//*[contains(@class,'caption') or contains(@class,'credit')]"


def _is_caption_box(element: HtmlElement) -> bool:
    """A picture with at most two short paragraphs: what holds a credit line that is not in a <figure>."""
    return (
        (element.find(".//img") is not None or element.find(".//picture") is not None)
        and sum(1 for _ in element.iterdescendants("p")) <= 2
        and len(" ".join(element.text_content().split())) < _CAPTION_BOX_MAX_CHARS
    )


def caption_elements(tree: HtmlElement) -> list[HtmlElement]:
    """Captions and credit boxes: <figcaption>, caption/credit classes inside <figure>, and boxes
    whose paragraph starts with a credit label ("Photo:") next to a picture."""
    found = list(tree.xpath(_MARKED_CAPTIONS))
    for paragraph in tree.iter("p"):
        if paragraph.text_content().lstrip().startswith(_CREDIT_LABELS):
            box = paragraph.getparent()
            if box is not None and _is_caption_box(box):
                found.append(box)
    return found


def furniture_elements(tree: HtmlElement) -> list[HtmlElement]:
    """Elements whose class or id names page furniture (``_FURNITURE``, any case).

    One pass in Python: the same test as one XPath per token costs ~35 ms a page, more than
    trafilatura's whole extraction.
    """
    found = []
    for element in tree.iter(etree.Element):  # elements only, not comments
        marks = f"{element.get('class') or ''} {element.get('id') or ''}"
        if marks != " " and any(token in marks.lower() for token in _FURNITURE):
            found.append(element)
    return found


def _without_furniture(html: str) -> HtmlElement | None:
    """The page parsed as trafilatura parses it, captions and furniture removed (tails kept)."""
    tree = trafilatura.load_html(html)
    if tree is None:
        return None
    for element in [*caption_elements(tree), *furniture_elements(tree)]:
        if element.getparent() is not None:
            element.drop_tree()
    return tree


_BOILERPLATE = re.compile(
    r"^(?:"
    r"(?:sign up|subscribe|register)\b.{0,120}\b(?:newsletter|email|inbox|updates)\b"
    r"|.{0,80}\b(?:our newsletters?|sign up|subscribe now|in your inbox)\b.{0,80}$"
    r"|(?:also |further )?(?:read|see|watch) (?:more|also|next)\b.{0,150}$"
    r"|(?:читайте(?: также| також)?|lesen sie (?:auch|mehr)|(?:à )?lire aussi|leggi anche|lea también"
    r"|leia também|관련\s?기사|関連記事|あわせて読みたい|相关阅读|延伸阅读)\b.{0,150}$"
    r"|(?:related|recommended|more) (?:articles|stories|coverage|videos|reading|on this)\b.{0,150}$"
    r"|related\s*:.{0,150}$"
    r"|most (?:read|popular|viewed)\b.{0,80}$"
    r"|(?:share (?:this|on|via)|follow (?:us|\w+ on))\b.{0,250}$"
    r"|join\b.{0,60}\b(?:commenting|conversations?|discussions?)\b.{0,150}$|.{0,120}\bcommenting forum\b.{0,100}$"
    r"|(?:\d+\s+)?comments?$"
    r"|.{0,60}\S+@\S+\.\w+.{0,40}$"
    r"|-?\s*(?:share|copy link|teilen|partager|compartir|поделиться|поділитися)(?: this(?: article| story)?)?$"
    r"|-?\s*(?:分享|공유|कॉपी लिंक|शेयर).{0,12}$"
    r"|(?:photo|image|picture|credit|illustration)s?\s*:.{0,120}$"
    r"|\(?(?:photo|image|picture)s?\s*(?:by|credit)\b.{0,100}$"
    r"|pictured\b.{0,400}$"
    r"|.{0,100}\b(?:getty images|shutterstock|afp via getty)\b\)?$"
    r"|.{0,200}\b(?:donate now|make a donation|become a (?:member|supporter|subscriber)|support (?:us|our journalism)"
    r"|unterstützen sie uns|soutenez-nous|apóyanos)\b.{0,300}$"
    r"|.{0,200}\b(?:may earn (?:an? )?(?:affiliate )?commission|earn us a commission|independently selected)\b.{0,200}$"
    r"|.{0,200}\b(?:contributed to this report|with files from)\b.{0,100}$"
    r"|(?:this is a )?breaking news? story.{0,40}$"
    r"|(?:you must|please) (?:confirm|log ?in|log ?out|sign in)\b.{0,200}$"
    r"|(?:copyright\b|.{0,40}(?:©|ⓒ|저작권자|版权所有|無断転載)).{0,150}$"
    r"|advertisement$|advertising$|article content$|story continues below.{0,40}$"
    r")",
    re.IGNORECASE,
)
_SHORT_LIST_ITEM = re.compile(r"^[-•*]\s*\w\S*(?:\s+\S+)?$")  # "- Share", "- 评论": button rows, not prose
_INVISIBLE = re.compile("[\u00ad\u200b-\u200d\u2060\ufeff]")  # soft hyphens, zero-width marks
_LIST_MARK = re.compile(r"^[-•*]\s+")
_LABELLED = re.compile(r"^(\S.{0,40}?)\s*[|:]\s+(\S.{0,150})$")
_MAX_LABEL_WORDS = 6


def _is_teaser(paragraph: str) -> bool:
    """"ALSO READ: headline", "FUNDA OLUNYE UDABA LAPHA | headline": an upper-case label
    before a headline-like line (no closing punctuation), in any cased script."""
    match = _LABELLED.match(paragraph)
    if not match:
        return False
    label, rest = match.groups()
    words = len(label.split())
    return label.isupper() and 2 <= words <= _MAX_LABEL_WORDS and not rest.endswith((".", "!", "?", "\"", "”"))


def is_boilerplate(paragraph: str) -> bool:
    """True for appeal, teaser, caption and credit lines that are not article prose."""
    paragraph = paragraph.strip()
    return bool(_BOILERPLATE.match(paragraph) or _SHORT_LIST_ITEM.match(paragraph)) or _is_teaser(paragraph)


def tidy(line: str) -> str:
    """One line of text without invisible marks or runs of spaces."""
    return " ".join(_INVISIBLE.sub("", line).split())


def text_key(text: str) -> str:
    """Comparison form of a line: tidied, case-folded, without a list bullet."""
    return _LIST_MARK.sub("", tidy(text)).casefold()


def without(paragraphs: list[str], furniture: set[str]) -> list[str]:
    """``paragraphs`` minus those that merely repeat one of the ``furniture`` strings."""
    skip = {text_key(f) for f in furniture}
    return [p for p in paragraphs if text_key(p) not in skip]


def _shown_text(page: PageMetadata) -> str:
    """The body's visible text outside scripts and captions."""
    captions = set(caption_elements(page.tree))
    texts = page.tree.xpath("//body//text()[not(ancestor::script or ancestor::style or ancestor::noscript)]")
    return " ".join(
        t for t in texts if captions.isdisjoint(t.getparent().iterancestors()) and t.getparent() not in captions
    )


def visible_standfirst(page: PageMetadata, description: str | None) -> str | None:
    """The page's summary when it is also shown in the body (a dek), not only in ``<meta>``
    nor only as a picture's caption."""
    if not description:
        return None
    return description if text_key(description) in text_key(_shown_text(page)) else None


def extract_paragraphs(
    html: str, url: str, options: ExtractOptions, *, furniture: set[str], standfirst: str | None
) -> list[str]:
    """The article's paragraphs in reading order, boilerplate removed.

    ``furniture`` are strings shown near the text that are not part of it (headline, byline,
    site name); ``standfirst`` is a visible summary that trafilatura tends to skip.
    """
    tree = _without_furniture(html)
    text = tree is not None and trafilatura.extract(
        tree,
        url=url,
        favor_precision=options.favor_precision,
        include_comments=False,
        include_tables=options.include_tables,
        include_images=False,
        include_links=False,
        with_metadata=False,
        output_format="txt",
    )
    paragraphs = [tidy(line) for line in (text or "").splitlines()]
    kept = [p for p in without(paragraphs, furniture) if p and not is_boilerplate(p)]
    if standfirst and kept and not any(text_key(standfirst) in text_key(p) for p in kept):
        kept.insert(0, standfirst)
    logger.debug("%s: %d paragraphs, %d dropped", url, len(kept), len([p for p in paragraphs if p]) - len(kept))
    return kept
