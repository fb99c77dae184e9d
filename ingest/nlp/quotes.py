"""Direct quotations: where each quoted passage starts and ends in the article.

Pages mix straight and curly marks (even within one quote), and a long quote can run
over sentence and paragraph breaks, so quotes are found on the whole text and the
claim stage cuts them per sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_MARKS = re.compile(r"[\"“”]")
_PARAGRAPH = re.compile(r"\n[ \t]*\n")


@dataclass(frozen=True, slots=True)
class Quote:
    """The inside of one quotation (marks excluded), as offsets into the article."""

    start: int
    end: int


def find_quotes(text: str) -> list[Quote]:
    """Pair quotation marks; an opening mark that is never closed before the next
    paragraph that opens a new quote is closed at that paragraph break."""
    quotes: list[Quote] = []
    open_at: int | None = None
    for mark in _MARKS.finditer(text):
        char, pos = mark.group(), mark.start()
        if open_at is None:
            if char != "”":
                open_at = pos + 1
            continue
        if char == "“" or (char == '"' and _looks_opening(text, pos)):
            brk = _last_paragraph_break(text, open_at, pos)
            if brk is not None:  # multi-paragraph quote: close the previous one at the break
                quotes.append(Quote(open_at, brk))
                open_at = pos + 1
                continue
        quotes.append(Quote(open_at, pos))
        open_at = None
    return [q for q in quotes if q.end > q.start]


def _looks_opening(text: str, pos: int) -> bool:
    return pos == 0 or text[pos - 1].isspace() and pos + 1 < len(text) and not text[pos + 1].isspace()


def _last_paragraph_break(text: str, start: int, end: int) -> int | None:
    breaks = list(_PARAGRAPH.finditer(text, start, end))
    if not breaks:
        return None
    before = text[start:breaks[-1].start()].rstrip()
    return breaks[-1].start() if before[-1:] in (".", "!", "?") else None
