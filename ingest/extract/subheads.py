"""Put back the subheads trafilatura drops when it falls back to loose paragraphs.

When no article container is recognised, trafilatura collects ``<p>`` elements one by one
and leaves the ``<h2>``-``<h4>`` between them out. A heading whose neighbours on both sides
are paragraphs we kept sits inside the article, so it goes back between them; headings next
to anything else (sidebars, "more stories") stay out.
"""

from __future__ import annotations

import logging

from lxml import html as lxml_html

from ingest.extract.body import is_boilerplate, text_key, tidy
from ingest.extract.metadata import PageMetadata

logger = logging.getLogger(__name__)

_HEADINGS = (
    "//body//*[self::h2 or self::h3 or self::h4]"
    "[not(ancestor::header or ancestor::nav or ancestor::footer or ancestor::aside)]"
)
_MAX_WORDS = 20
_COMPARED_CHARS = 60  # neighbours are matched on their first / last characters
_MAX_SKIPPED = 3  # siblings without text (ad slots, scripts) tolerated between a heading and its paragraph
_SHOWN_TEXT = "descendant-or-self::text()[not(ancestor-or-self::script or ancestor-or-self::style)]"


def _neighbour(heading: lxml_html.HtmlElement, forward: bool) -> str:
    """Comparison key of the nearest sibling with text before or after the heading."""
    sibling = heading
    for _ in range(_MAX_SKIPPED + 1):
        sibling = sibling.getnext() if forward else sibling.getprevious()
        if sibling is None:
            return ""
        if key := text_key(" ".join(sibling.xpath(_SHOWN_TEXT))):
            return key
    return ""


def restore_subheads(page: PageMetadata, paragraphs: list[str]) -> list[str]:
    """``paragraphs`` with in-article subheads reinserted where the page has them."""
    keys = [text_key(p) for p in paragraphs]
    present = set(keys)
    result = list(paragraphs)
    for heading in page.tree.xpath(_HEADINGS):
        text = tidy(heading.text_content())
        if not text or text_key(text) in present or len(text.split()) > _MAX_WORDS or is_boilerplate(text):
            continue
        before, after = _neighbour(heading, forward=False), _neighbour(heading, forward=True)
        if not before or not after:
            continue
        for i in range(len(keys) - 1):
            if keys[i][-_COMPARED_CHARS:] == before[-_COMPARED_CHARS:] and keys[i + 1][:_COMPARED_CHARS] == after[
                :_COMPARED_CHARS
            ]:
                result.insert(result.index(paragraphs[i + 1]), text)
                present.add(text_key(text))
                logger.debug("restored subhead %r", text)
                break
    return result
