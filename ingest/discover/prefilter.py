"""A cheap keyword pre-filter for archive records, applied before a page is landed.

Most of CC-NEWS is off topic (a few hundred thousand pages a day). Extracting a page costs
tens of milliseconds; decoding its head and searching it for the topic's names costs a few
hundred microseconds at most, and much less for short heads. The filter is tuned for recall:
it only drops pages that cannot be on topic, the topic rule (``ingest.topic``) decides on the
rest after extraction.

Records are judged in batches where they can be: one pass of a compiled automaton (RE2,
through Arrow) over a batch of UTF-8 heads finds every term at once, where Python's
substring search needs one pass per term over a lower-cased copy of each head (~3x the time).
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable, Iterator, Sequence

import pyarrow as pa
import pyarrow.compute as pc

from ingest.topic import DEFAULT_TOPIC

# Where a page names its subject: the <head> (title, description, keywords) and the top of the body.
HEAD_BYTES = 64 * 1024
_TITLE_BYTES = 2048
_META_CHARSET = re.compile(rb"""charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def _codec(charset: str | None, payload: bytes) -> str:
    """The payload's encoding: the HTTP header's, else the page's meta tag, else UTF-8."""
    if not charset:
        declared = _META_CHARSET.search(payload, 0, 2048)
        charset = declared.group(1).decode("ascii") if declared else None
    try:
        return codecs.lookup(charset).name if charset else "utf-8"
    except LookupError:
        return "utf-8"


def _utf8_spellings(terms: Iterable[str]) -> dict[int, tuple[bytes, ...]]:
    """UTF-8 spellings of non-ASCII terms (lower, upper, capitalised), by their first byte."""
    spellings: dict[int, set[bytes]] = {}
    for term in terms:
        for spelling in {term, term.upper(), term.capitalize()}:
            encoded = spelling.encode("utf-8")
            spellings.setdefault(encoded[0], set()).add(encoded)
    return {lead: tuple(sorted(found)) for lead, found in spellings.items()}


def _utf8_pattern(ascii_terms: Iterable[bytes], utf8_spellings: Iterable[bytes]) -> str:
    """One RE2 pattern for raw UTF-8 bytes: the ASCII terms in any case, the other spellings as they are.

    Arrow matches binary data byte by byte (Latin-1), so each non-ASCII spelling is written as
    its UTF-8 bytes and case folding is confined to the ASCII group, where it folds A-Z only.
    """
    ascii_group = "|".join(re.escape(term.decode("ascii")) for term in ascii_terms)
    exact = ["".join(f"\\x{byte:02x}" for byte in spelling) for spelling in utf8_spellings]
    return "|".join([f"(?i:{ascii_group})", *exact]) if ascii_group else "|".join(exact)


class Prefilter:
    """Says whether a page may be about the topic: any term in its head or its <title>.

    Most records are off topic, so the common case must be cheap, and each pass over the head
    costs about as much as any other: ASCII terms are searched in the raw bytes lower-cased
    (ASCII-compatible encodings keep ASCII as it is); in UTF-8, a non-ASCII term is only looked
    for when its first byte occurs (one ``memchr``), so an English page never pays for Korean
    or Cyrillic; other encodings are decoded and lower-cased. ``find`` beats one regular
    expression of alternatives several times.
    """

    def __init__(self, terms: Iterable[str] = DEFAULT_TOPIC.prefilter_terms, head_bytes: int = HEAD_BYTES) -> None:
        self._terms = tuple(term.lower() for term in terms)
        self._ascii_terms = tuple(term.encode("ascii") for term in self._terms if term.isascii())
        self._other_terms = tuple(term for term in self._terms if not term.isascii())
        self._utf8_terms = _utf8_spellings(self._other_terms)
        self._head_bytes = head_bytes
        self._pattern = _utf8_pattern(self._ascii_terms, [s for group in self._utf8_terms.values() for s in group])

    def may_match(self, payload: bytes, charset: str | None = None) -> bool:
        return self._matches(payload, _codec(charset, payload))

    def may_match_many(self, pages: Sequence[tuple[bytes, str | None]]) -> list[bool]:
        """``may_match`` of each ``(payload, charset)``, the UTF-8 pages in one automaton pass."""
        results = [False] * len(pages)
        segments: list[bytes] = []
        owners: list[int] = []
        for index, (payload, charset) in enumerate(pages):
            codec = _codec(charset, payload)
            if codec != "utf-8":
                results[index] = self._matches(payload, codec)
                continue
            for segment in self._segments(payload):
                segments.append(segment)
                owners.append(index)
        if segments and self._pattern:
            found = pc.match_substring_regex(pa.array(segments, pa.binary()), self._pattern)
            for owner, hit in zip(owners, found.to_pylist()):
                results[owner] = results[owner] or hit
        return results

    def _matches(self, payload: bytes, codec: str) -> bool:
        return any(self._segment_matches(segment, codec) for segment in self._segments(payload))

    def _segments(self, payload: bytes) -> Iterator[bytes]:
        yield payload[: self._head_bytes]
        # A page whose <head> is longer than the window (inline scripts) still shows its title.
        title = payload.find(b"<title")
        if title >= self._head_bytes:
            yield payload[title : title + _TITLE_BYTES]

    def _segment_matches(self, segment: bytes, codec: str) -> bool:
        if codec.startswith(("utf-16", "utf-32")):
            text = segment.decode(codec, errors="replace").lower()
            return any(term in text for term in self._terms)
        lowered = segment.lower()
        if any(term in lowered for term in self._ascii_terms):
            return True
        if segment.isascii():
            return False
        if codec == "utf-8":
            return any(bytes((lead,)) in segment and any(s in segment for s in spellings)
                       for lead, spellings in self._utf8_terms.items())
        text = segment.decode(codec, errors="replace").lower()
        return any(term in text for term in self._other_terms)
