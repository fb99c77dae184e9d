"""Concrete numbers stated in a claim ("six officers", "over 13,000 containers").

Only exact figures count: vague plurals ("thousands of", "dozens") are skipped, and so
are dates, years, ordinals, durations and model numbers ("Kn-23"), which are numbers
but not counts. A range ("11,000-12,000") counts once, at its lower bound.
"""

from __future__ import annotations

import re

from ingest.records import Quantity

_UNITS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90, "hundred": 100, "a dozen": 12, "dozen": 12,
}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_MONTHS = (
    r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?|January|February|March|April|May|"
    r"June|July|August|September|October|November|December"
)
_TIME_UNITS = re.compile(
    r"\s*(?:years?|months?|weeks?|days?|hours?|minutes?|seconds?|decades?|centuries|century|times)\b"
    r"|\s*(?:a\.m\.|p\.m\.|am\b|pm\b|GMT|BST|KST|%)"
)
_NUMBER = re.compile(
    rf"(?<![\w$.,-])(\$)?(\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?|{'|'.join(sorted(_UNITS, key=len, reverse=True))})"
    rf"(?:\s+({'|'.join(_SCALES)}))?(?:[-–](?:\d{{1,3}}(?:,\d{{3}})+|\d+))?(?![\w-]|,\d|\.\d)",
    re.IGNORECASE,
)
_MODIFIER = re.compile(r"(?:as many as|over|more than|at least|about|around|roughly|nearly|almost|some|up to|approximately)\s+$", re.I)
_UNIT_STOP = frozenset(
    "were was had have has is are be been in of from to by at on since filled and or that who "
    "which with for as the a an during between among".split()
)


def find_quantities(text: str, start: int = 0, end: int | None = None) -> tuple[Quantity, ...]:
    """Numbers in ``text[start:end]`` with the words after them that say what they count;
    the surrounding text is still read to recognise dates ("Oct. | 4")."""
    found: list[Quantity] = []
    for match in _NUMBER.finditer(text, start, len(text) if end is None else end):
        value = _value(match.group(2), match.group(3))
        if value is None or _is_not_a_count(text, match, value):
            continue
        unit = _unit(text[match.end():])
        if match.group(1):
            unit = f"USD {unit}".strip()
        modifier = _MODIFIER.search(text[:match.start()])
        start = modifier.start() if modifier else match.start()
        found.append(Quantity(value=value, unit=unit, surface=text[start:match.end()].strip()))
    return tuple(found)


def _unit(after: str) -> str:
    """Up to four words after the number, stopping at the first function word."""
    words: list[str] = []
    for word in re.findall(r"[^\s]+", after)[:4]:
        clean = word.strip(",.;:!?\"“”()")
        if not clean or clean.lower() in _UNIT_STOP:
            break
        words.append(clean)
        if clean != word:  # punctuation ends the phrase
            break
    return " ".join(words)


def _value(number: str, scale: str | None) -> float | None:
    word = number.lower()
    if word in _UNITS:
        base = float(_UNITS[word])
    else:
        try:
            base = float(number.replace(",", ""))
        except ValueError:
            return None
    return base * _SCALES[scale.lower()] if scale else base


def _is_not_a_count(text: str, match: re.Match[str], value: float) -> bool:
    before = text[max(0, match.start() - 12):match.start()]
    after = text[match.end():match.end() + 12]
    digits = match.group(2)
    if re.search(rf"(?:{_MONTHS})\s+$", before) or re.match(rf"\s+(?:{_MONTHS})\b", after):
        return True  # a date: "Oct. 3", "3 October"
    if digits.isalpha() and re.search(r"\b(?:several|a few|few|many)\s+$", before):
        return True  # "several hundred" is vague
    if digits.isdigit() and len(digits) == 4 and 1800 <= value <= 2100 and not match.group(3):
        return True  # a year
    if re.match(r"(?:st|nd|rd|th)\b", after) or _TIME_UNITS.match(after):
        return True
    return bool(re.search(r"[A-Za-z]-$", before))
