"""Topic relevance: is an article about North Korea–Russia military cooperation?

A documented keyword rule, scored on the title and main text. An article is on topic when it
names North Korea (or its capital, leader or agency), names Russia's side of the war
(Russia, Moscow, the Kremlin, Putin, Ukraine), and talks about military matters. The score
rises with how densely these appear, so a passing mention in a long unrelated story stays low.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


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


DEFAULT_TOPIC = TopicDefinition()


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
