"""Whether a speaker affirms a proposition or rejects it.

Denial shows either in the verb ("denied", "dismissed") or in how the speaker labels
the proposition ("fake news", "lies", "groundless").
"""

from __future__ import annotations

import re

DENY_VERBS = frozenset(
    "deny denies denied denying dismiss dismisses dismissed dismissing reject rejects rejected "
    "rejecting refute refutes refuted rebuff rebuffed blast blasts blasted slam slams slammed".split()
)
_DENY_WORDS = re.compile(
    r"\b(?:fake|lies|lie|lying|groundless|baseless|nonsense|untrue|not true|fabricat\w*|"
    r"absurd|unfounded|false)\b",
    re.IGNORECASE,
)


def polarity(cue_verb: str, content: str) -> str:
    """``deny`` when the cue verb or the speaker's wording rejects the content."""
    if cue_verb.lower() in DENY_VERBS or _DENY_WORDS.search(content):
        return "deny"
    return "affirm"
