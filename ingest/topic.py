r"""Topic relevance: is an article about North Korea–Russia military cooperation?

A documented keyword rule, scored on the title and main text. An article is on topic when it
names North Korea (or its capital, leader or agency), names Russia's side of the war
(Russia, Moscow, the Kremlin, Putin, Ukraine), and talks about military matters. The score
rises with how densely these appear, so a passing mention in a long unrelated story stays low.

The default definition is North Korea–Russia military cooperation. A sources file may replace
any part of it with an optional ``topic:`` section (``topic_from_mapping``)::

    topic:
      north_korea: ['north\s+korean?s?', 'pyongyang']   # regular expressions, matched as whole words
      russia_war: ['russian?s?', 'moscow', 'kremlin']
      military: ['troops?', 'missiles?', 'treaty']
      threshold: 0.35                                  # score an article needs to be on topic

Groups left out keep their defaults. Changing the topic re-annotates every article on the next
run (``TopicDefinition.fingerprint`` is part of the annotation version). ``python -m
ingest.topic_eval`` measures precision and recall on the labelled set in tests/fixtures/topic_eval.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any


def _pattern(terms: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(terms) + r")\b", re.IGNORECASE)


@dataclass(frozen=True)
class TopicDefinition:
    """Three term groups that must all be present, and the score threshold."""

    north_korea: tuple[str, ...] = (
        r"north\s+korean?s?",
        r"pyongyang",
        r"dprk",
        r"kim\s+jong[\s-]un",
        r"kcna",
        r"the\s+north",
    )
    russia_war: tuple[str, ...] = (
        r"russian?s?",
        r"moscow",
        r"kremlin",
        r"putin",
        r"ukrain(?:e|ian|ians)",
        r"kursk",
        r"donetsk",
        r"donbas",
    )
    military: tuple[str, ...] = (
        r"troops?",
        r"soldiers?",
        r"military",
        r"army",
        r"missiles?",
        r"shells?",
        r"artillery",
        r"munitions?",
        r"ammunition",
        r"weapons?",
        r"arms",
        r"treaty",
        r"alliance",
        r"defen[cs]e",
        r"war",
        r"deploy(?:ed|ment|ing)?",
        r"officers?",
        r"combat",
    )
    threshold: float = 0.35
    # Lower-case substrings for the pre-filter of archive records (ingest.discover.prefilter): how pages
    # name North Korea in the languages of the coverage. A page whose head holds none of them cannot be on
    # topic; recall is what matters ("korea" also lets South Korea stories through), the rule above decides.
    prefilter_terms: tuple[str, ...] = (
        "korea",  # North Korea, N. Korea, Nordkorea, North Korean
        "pyongyang",
        "dprk",
        "kim jong",
        "kcna",
        "corée",
        "corea",
        "coreia",
        "북한",
        "조선",
        "평양",
        "김정은",
        "коре",  # Корея, Кореи, Кореї
        "кндр",
        "пхеньян",
        "ким чен",
        "北朝鮮",
        "朝鲜",
        "平壤",
    )


    @property
    def fingerprint(self) -> str:
        """Short hash of the groups and threshold: changes whenever the rule does."""
        text = repr((self.north_korea, self.russia_war, self.military, self.threshold))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


DEFAULT_TOPIC = TopicDefinition()


class TopicError(ValueError):
    """A topic section that cannot be used; the message names the field."""


def topic_from_mapping(raw: Mapping[str, Any] | None) -> TopicDefinition:
    """The default topic with the groups and threshold a ``topic:`` mapping gives replaced."""
    if raw is None:
        return DEFAULT_TOPIC
    if not isinstance(raw, Mapping):
        raise TopicError("must be a mapping with north_korea, russia_war, military and/or threshold")
    known = {f.name for f in fields(TopicDefinition)} - {"prefilter_terms"}
    changes: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in known:
            raise TopicError(f"field '{key}': unknown (known: {', '.join(sorted(known))})")
        if key == "threshold":
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= 1:
                raise TopicError("field 'threshold': must be a number in (0, 1]")
            changes[key] = float(value)
            continue
        if not isinstance(value, list) or not value or not all(isinstance(t, str) and t.strip() for t in value):
            raise TopicError(f"field '{key}': must be a non-empty list of regular expressions")
        for term in value:
            try:
                re.compile(term)
            except re.error as exc:
                raise TopicError(f"field '{key}': {term!r} is not a valid regular expression ({exc})") from exc
        changes[key] = tuple(value)
    return replace(DEFAULT_TOPIC, **changes)


def relevance_score(title: str | None, text: str, topic: TopicDefinition = DEFAULT_TOPIC) -> float:
    """Score in [0, 1]: 0 unless all three groups occur; then grows with their density.

    Title hits count three times, since a headline names what the story is about.
    """
    document = f"{title or ''}\n{text}"
    words = max(len(document.split()), 1)
    title_text = title or ""
    group_hits = []
    for terms in (topic.north_korea, topic.russia_war, topic.military):
        pattern = _pattern(terms)
        group_hits.append(len(pattern.findall(text)) + 3 * len(pattern.findall(title_text)))
    if min(group_hits) == 0:
        return 0.0
    # Hits per 100 words of the rarest group, saturating at 1.0 for ~2 per 100 words.
    density = 100.0 * min(group_hits) / words
    return round(min(1.0, density / 2.0), 4)


def is_on_topic(score: float, topic: TopicDefinition = DEFAULT_TOPIC) -> bool:
    """Whether a relevance score passes the topic's threshold."""
    return score >= topic.threshold
