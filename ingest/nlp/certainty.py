"""How sure a speaker is of what they state: certain, probable or possible.

Hedges are read only in the claim's own words, so "dismissed a claim that troops were
likely there" stays certain for the one who dismissed it.
"""

from __future__ import annotations

import re

_PROBABLE = re.compile(
    r"\b(?:(?:highly|most|very|quite)\s+)?(?:likely|unlikely|probably|probable|believed|presumably|"
    r"expected to|apparently)\b",
    re.IGNORECASE,
)
_POSSIBLE = re.compile(r"\b(?:could|may|might|possibly|perhaps|maybe)\b")


def certainty(content: str) -> str:
    """``probable`` for likely/probably/believed, ``possible`` for could/may/might,
    otherwise ``certain``."""
    if _PROBABLE.search(content):
        return "probable"
    if _POSSIBLE.search(content):
        return "possible"
    return "certain"
