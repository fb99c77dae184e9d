"""Main text: trafilatura's extraction, then a pass that drops what it lets through.

trafilatura already removes navigation and most chrome; appeals, captions, credit lines
and "read more" teasers sit inside the article container and need their own filter.
"""

from __future__ import annotations

import logging
import re

import trafilatura

from ingest.extract.options import ExtractOptions

logger = logging.getLogger(__name__)

# Containers whose class or id marks them as page furniture inside the article body.
_FURNITURE = (
    "newsletter", "related", "most-read", "mostread", "most-popular", "recommended", "share-bar",
    "sharebar", "social-share", "signup", "sign-up", "donate", "donation", "author-bio", "authorbio",
    "read-more", "readmore", "more-stories", "outbrain", "taboola", "advert", "promo", "figcaption",
)
_PRUNE_XPATH = ["//figcaption", "//figure//*[contains(@class,'caption') or contains(@class,'credit')]"] + [
    f"//*[contains(translate(@class,'ABCDEFGHIJKLMNOPQRSTUVWXYZ','abcdefghijklmnopqrstuvwxyz'),'{token}') "
    f"or contains(translate(@id,'ABCDEFGHIJKLMNOPQRSTUVWXYZ','abcdefghijklmnopqrstuvwxyz'),'{token}')]"
    for token in _FURNITURE
]

_BOILERPLATE = re.compile(
    r"^(?:"
    r"(?:sign up|subscribe|register)\b.{0,120}(?:newsletter|email|inbox|updates)"
    r"|.{0,80}\b(?:newsletter|sign up|subscribe now)\b.{0,80}$"
    r"|(?:read|see) (?:more|also)\b.{0,150}$"
    r"|related(?: articles| stories| coverage)?\s*:.*"
    r"|most (?:read|popular|viewed)\b.{0,80}$"
    r"|(?:share|follow us) (?:this|on)\b.{0,100}$"
    r"|(?:photo|image|picture|credit|source|illustration)s?\s*:\s*.{0,120}$"
    r"|\(?(?:photo|image|picture)s?\s*(?:by|credit|:)\s*.{0,100}$"
    r"|.{0,100}\b(?:getty images|shutterstock|afp via getty)\b\)?$"
    r"|(?:please )?(?:support|donate to) (?:our|independent) journalism\b.*"
    r"|.{0,200}\b(?:make a donation|donate now|become a (?:member|supporter|subscriber))\b.{0,200}$"
    r"|copyright\b.{0,150}$|©.{0,150}$"
    r"|advertisement$|advertising$|story continues below.{0,40}$"
    r")",
    re.IGNORECASE,
)


def is_boilerplate(paragraph: str) -> bool:
    """True for appeal, teaser, caption and credit lines that are not article prose."""
    return bool(_BOILERPLATE.match(paragraph.strip()))


def extract_paragraphs(html: str, url: str, options: ExtractOptions) -> list[str]:
    """The article's paragraphs in reading order, boilerplate removed."""
    text = trafilatura.extract(
        html,
        url=url,
        favor_precision=options.favor_precision,
        include_comments=False,
        include_tables=options.include_tables,
        include_images=False,
        include_links=False,
        with_metadata=False,
        output_format="txt",
        prune_xpath=_PRUNE_XPATH,
    )
    paragraphs = [" ".join(line.split()) for line in (text or "").splitlines()]
    kept = [p for p in paragraphs if p and not is_boilerplate(p)]
    logger.debug("%s: %d paragraphs, %d dropped as boilerplate", url, len(kept), len(paragraphs) - len(kept))
    return kept
