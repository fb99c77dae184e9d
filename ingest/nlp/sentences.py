"""Sentence segmentation for news prose.

News text breaks naive splitters in predictable ways: titles and dates carry periods
("Lt. Gen.", "Oct. 3", "U.S."), quotes end with punctuation inside the marks, and
extracted text keeps hard line breaks inside paragraphs. A quotation may even run over a
paragraph break when the page wrapped it. Every span keeps offsets into the input so
later stages can point back at the article text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Span:
    """A sentence: character offsets into the article and the verbatim text."""

    start: int
    end: int
    text: str


# Words that end with a period but rarely end a sentence.
_TITLES = {
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "sgt", "adm",
    "cmdr", "gov", "sen", "rep", "rev", "st", "jr", "sr", "pres", "mt", "ft", "vs",
    "inc", "corp", "co", "ltd", "dept", "approx", "est", "gens", "brig", "cpl", "pvt",
}
# These abbreviate only before a number ("Oct. 3", "No. 1"); elsewhere the period may end a sentence.
_BEFORE_NUMBER = {
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "no", "nos", "art", "vol", "p", "pp",
}
# After an acronym like "U.S." a sentence break is only trusted before these words.
_SENTENCE_STARTERS = {
    "The", "A", "An", "He", "She", "It", "They", "We", "I", "But", "And", "In", "On",
    "This", "That", "These", "Those", "His", "Her", "Its", "Their", "There", "As", "At",
    "After", "Before", "When", "While", "However", "Meanwhile", "Earlier", "Later",
}

_QUOTES = "\"“”"
_BOUNDARY = re.compile(r"[.!?]+[\"”’')\]]*(?=\s+[\"“‘'(\[]?[A-Z0-9])")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)\.$")


def split_sentences(text: str) -> list[Span]:
    """Split ``text`` into sentences; paragraphs are separated by blank lines."""
    spans: list[Span] = []
    for block_start, block_end in _blocks(text):
        start = block_start
        block = text[block_start:block_end]
        for match in _BOUNDARY.finditer(block):
            end = block_start + match.end()
            if _is_sentence_end(text, block_start + match.start(), end):
                _append(spans, text, start, end)
                start = end
        _append(spans, text, start, block_end)
    return spans


def _blocks(text: str) -> list[tuple[int, int]]:
    """Paragraph ranges, joining a paragraph to the next when a quote runs across the break."""
    blocks: list[tuple[int, int]] = []
    block_start = paragraph_start = 0
    for brk in _PARAGRAPH_BREAK.finditer(text):
        paragraph = text[paragraph_start:brk.start()].rstrip()
        runs_on = (
            bool(paragraph)
            and paragraph[-1] not in ".!?:" + _QUOTES
            and _quote_open(text[block_start:brk.start()])
        )
        if not runs_on:
            blocks.append((block_start, brk.start()))
            block_start = brk.end()
        paragraph_start = brk.end()
    blocks.append((block_start, len(text)))
    return blocks


def _quote_open(text: str) -> bool:
    """Whether a double quotation is still open at the end of ``text``."""
    is_open = False
    for char in text:
        if char == "“":
            is_open = True
        elif char == "”":
            is_open = False
        elif char == '"':
            is_open = not is_open
    return is_open


def _is_sentence_end(text: str, punct_start: int, end: int) -> bool:
    if text[punct_start] != ".":
        return True
    word_match = _WORD_BEFORE.search(text[max(0, punct_start - 30):punct_start + 1])
    if not word_match:
        return True
    word = word_match.group(1)
    following = text[end:].lstrip()
    next_word = re.match(r"[\"“‘'(\[]?([\w]+)", following)
    next_token = next_word.group(1) if next_word else ""
    lower = word.lower()
    if lower in _TITLES:
        return False
    if lower in _BEFORE_NUMBER:
        return not next_token[:1].isdigit()
    if len(word) == 1 and word.isupper():  # an initial: "N. Korean", "J. Smith"
        return False
    if "." in word:  # an acronym such as "U.S." or "e.g."
        return next_token in _SENTENCE_STARTERS
    return True


def _append(spans: list[Span], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        spans.append(Span(start, end, text[start:end]))
