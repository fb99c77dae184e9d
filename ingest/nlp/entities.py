"""Entity mentions: the alias table first, then name patterns for actors it lacks.

The table knows the recurring actors; new people and bodies appear in every story, so
titles ("spokesman X"), Korean and Slavic name shapes and organisation keywords
("... Ministry", "Institute for ...") catch the rest. Bare surnames ("Kim", "Mr Kim") are
resolved to the most recent full name in the article, and a capital is read as a place
only where the text treats it as one ("a visit to Pyongyang"), otherwise as its
government ("Pyongyang denied").
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from ingest.nlp.actors import ActorTable
from ingest.nlp.sentences import Span
from ingest.records import Mention

KOREAN_SURNAMES = frozenset(
    "Kim Lee Yi Ri Rhee Park Pak Choi Choe Jung Jeong Chung Kang Cho Jo Yoon Yun Jang Chang "
    "Lim Im Han Oh Seo Suh Shin Sin Kwon Hwang Ahn An Song Yoo Ryu Hong Jeon Chun Ko Koo Ku "
    "Moon Mun Yang Son Bae Baek Heo Nam Noh Roh Ha Kwak Sung Cha Joo Woo Min Byun Won Hyun".split()
)
# Titles and roles that introduce a person's name ("Defense Minister Kim Yong-hyun").
TITLES = (
    r"(?:[Pp]rime |[Ff]oreign |[Dd]efen[cs]e |[Dd]eputy |[Vv]ice |[Uu]nification )?[Mm]inister",
    r"(?:[Vv]ice )?[Pp]resident", r"[Ss]pokes(?:man|woman|person)", r"[Ll]ieutenant(?: [Gg]eneral)?",
    r"Lt\.? ?Gen\.?", r"Lt\.?", r"Maj\.? ?Gen\.?", r"Gen\.?", r"[Gg]eneral", r"[Cc]olonel", r"Col\.?",
    r"[Mm]ajor", r"[Cc]aptain", r"[Ss]ergeant", r"[Pp]rofessor", r"Prof\.?", r"Dr\.?", r"[Ll]eader",
    r"[Ss]ecretary(?: of [Ss]tate)?", r"[Aa]mbassador", r"[Ee]nvoy", r"[Aa]nalyst", r"[Rr]esearcher",
    r"[Dd]irector", r"[Cc]hief", r"[Cc]ommander", r"[Ss]enator", r"[Ll]awmaker", r"[Aa]dviser",
    r"[Aa]dvisor", r"[Cc]hairman", r"[Cc]hairwoman", r"[Pp]remier", r"[Cc]hancellor", r"[Ff]ellow",
)
_NAME_PART = r"[A-Z][a-z]+(?:-[A-Za-z][a-z]+)?"
_TITLED_NAME = re.compile(
    rf"\b(?:{'|'.join(TITLES)})\s+({_NAME_PART}(?:\s+{_NAME_PART}){{1,2}})\b"
)
_TITLE_WORD = re.compile("|".join(TITLES))
_KOREAN_NAME = re.compile(
    r"\b([A-Z][a-z]{0,4})\s+(?:[A-Z][a-z]+-[A-Za-z][a-z]+|[A-Z][a-z]{1,4}\s+[A-Z][a-z]{1,4})\b"
)
_SLAVIC_NAME = re.compile(
    r"\b([A-Z][a-z]+)\s+[A-Z][a-z]+(?:ov|ova|ev|eva|enko|sky|skyi|skiy|ski|chuk|yuk|vich|ovych)\b"
)
ORG_KEYWORDS = (
    "Ministry", "Agency", "Institute", "Center", "Centre", "Council", "University", "Department",
    "Committee", "Commission", "Directorate", "Assembly", "Parliament", "Office", "Bureau",
    "Service", "Foundation", "Corporation", "Party", "Academy", "Administration", "Command",
)
_CAP = r"[A-Z](?:[\w’'&-]|\.(?=\w))*"
_ORG = re.compile(
    rf"(?:{_CAP}\s+)*(?:{'|'.join(ORG_KEYWORDS)})\b"
    rf"(?:\s+(?:of|for|on)\s+(?:the\s+)?{_CAP}(?:\s+(?:and\s+)?{_CAP})*)?"
)
DEMONYMS = {
    "North Korean": "North Korea", "South Korean": "South Korea", "Russian": "Russia",
    "Ukrainian": "Ukraine", "American": "United States", "U.S.": "United States",
    "US": "United States", "Chinese": "China", "Japanese": "Japan", "British": "United Kingdom",
    "German": "Germany", "French": "France", "Belarusian": "Belarus", "Iranian": "Iran",
}
# Country names that stand as adjectives or possessors before a body ("DPRK Foreign Ministry",
# "Russia's Defense Ministry"), and the demonym the body's canonical name takes.
_NAME_ADJECTIVES = {
    "DPRK": "North Korean", "ROK": "South Korean",
    **{f"{country}{mark}s": demonym for demonym, country in reversed(DEMONYMS.items()) for mark in "'’"},
}
_MINISTRY = re.compile(
    rf"\b({'|'.join(re.escape(d) for d in [*DEMONYMS, *_NAME_ADJECTIVES])})\s+"
    r"((?:[Ff]oreign|[Dd]efen[cs]e|[Ii]nterior|[Uu]nification|[Ee]mergencies)\s+[Mm]inistry)\b"
)
_DATELINE = re.compile(r"([A-Z][A-Z'.-]+(?:\s+[A-Z][A-Z'.-]+)*),\s")
_MIXED_DATELINE = re.compile(
    r",\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}\b"
)  # "Pyongyang, November 2 (KCNA)": the city the story is filed from
# Prepositions after which a capital names the city, not its government.
_PLACE_BEFORE = re.compile(
    r"\b(?:in|to|at|near|outside|inside|around|across|into|toward|towards|via|through|of)\s+$"
)
_LEADING_STOPWORDS = {"The", "A", "An", "In", "On", "At", "When", "After", "But", "And", "Both",
                      "Earlier", "Later", "Meanwhile", "While", "As", "For", "From", "With"}
_DIRECTIONAL = {"north", "south"}
# A country's ministry outranks the table's hit on the country inside it ("DPRK Foreign Ministry").
_PRIORITY_COMPOUND, _PRIORITY_TABLE, _PRIORITY_PATTERN = 3, 2, 1


@dataclass(frozen=True, slots=True)
class _Found:
    start: int
    end: int
    name: str
    type: str
    priority: int


def find_mentions(text: str, sentences: list[Span], table: ActorTable) -> list[Mention]:
    """Every entity mention in ``text``, canonicalised, in text order."""
    found = _table_mentions(text, table) + _pattern_mentions(text, sentences, table)
    accepted = _without_overlaps(found)
    accepted += _surname_mentions(text, accepted)
    starts = [s.start for s in sentences]
    mentions = [
        Mention(
            surface=text[f.start:f.end], name=f.name, type=f.type,
            sentence_index=max(0, bisect.bisect_right(starts, f.start) - 1),
            start=f.start, end=f.end,
        )
        for f in sorted(accepted, key=lambda f: f.start)
    ]
    return mentions


def _table_mentions(text: str, table: ActorTable) -> list[_Found]:
    out: list[_Found] = []
    for match in table.pattern.finditer(text):
        surface = match.group()
        if surface.casefold() in _DIRECTIONAL and not _is_directional_name(text, match):
            continue
        actor = table.resolve(surface, as_place=is_place_context(text, match.start(), match.end()))
        if actor:
            out.append(_Found(match.start(), match.end(), actor.name, actor.type, _PRIORITY_TABLE))
    return out


def _is_directional_name(text: str, match: re.Match[str]) -> bool:
    """"the North" as a country: capitalised, mid-sentence, not part of a longer name."""
    before = text[:match.start()].rstrip()
    after = text[match.end():]
    return (
        match.group()[0].isupper()
        and bool(before) and before[-1] not in ".!?\n\"“"
        and not re.match(r"\s+[A-Z]", after)
    )


def is_place_context(text: str, start: int, end: int) -> bool:
    """Whether a capital names the city here ("a visit to Seoul", "a Moscow hospital",
    "Seoul's Institute") rather than the government acting or speaking."""
    before = text[max(0, start - 40):start]
    after = text[end:end + 40]
    if _PLACE_BEFORE.search(before) or _MIXED_DATELINE.match(after):
        return True
    if re.search(r"\b(?:a|an|the)\s+$", before) and re.match(r"\s+[a-z]", after):
        return True
    return bool(re.match(r"['’]s\s+[A-Z]", after))


def _pattern_mentions(text: str, sentences: list[Span], table: ActorTable) -> list[_Found]:
    out: list[_Found] = []
    for match in _TITLED_NAME.finditer(text):
        out.append(_person(match.start(1), match.end(1), match.group(1)))
    for match in _KOREAN_NAME.finditer(text):
        parts = match.group().split()
        if match.group(1) in KOREAN_SURNAMES and not _LEADING_STOPWORDS.intersection(parts) \
                and not _inside_longer_name(text, match.start()):
            out.append(_person(match.start(), match.end(), match.group()))
    for match in _SLAVIC_NAME.finditer(text):
        if match.group(1) not in _LEADING_STOPWORDS and not table.candidates(match.group(1)):
            out.append(_person(match.start(), match.end(), match.group()))
    for match in _MINISTRY.finditer(text):
        name = f"{_NAME_ADJECTIVES.get(match.group(1), match.group(1))} {match.group(2).title()}"
        out.append(_Found(match.start(), match.end(), name, "ORG", _PRIORITY_COMPOUND))
    for match in _ORG.finditer(text):
        org = _trim_org(text, match.start(), match.end())
        if org:
            out.append(org)
    for sentence in sentences:
        dateline = _DATELINE.match(sentence.text)
        if dateline and len(dateline.group(1)) > 2:
            start, end = sentence.start, sentence.start + dateline.end(1)
            surface = dateline.group(1).title()
            actor = table.resolve(surface, as_place=True)
            name, kind = (actor.name, actor.type) if actor else (surface, "LOC")
            out.append(_Found(start, end, name, kind, _PRIORITY_PATTERN))
    return out


def _inside_longer_name(text: str, start: int) -> bool:
    """Whether a capitalised word other than a title runs into ``start`` ("Jasper Park Lodge")."""
    before = text[max(0, start - 40):start]
    previous = re.search(r"([A-Z][\w’'-]*)\s+$", before)
    if not previous or re.search(r"[.!?\n\"“]\s*$", before[:previous.start()] or "\n"):
        return False
    return not _TITLE_WORD.fullmatch(previous.group(1))


def _person(start: int, end: int, surface: str) -> _Found:
    return _Found(start, end, normalize_person_name(surface), "PERSON", _PRIORITY_PATTERN)


def normalize_person_name(surface: str) -> str:
    """One spelling per person: single spaces, no honorific, lower case after a hyphen ("Yong-Hyun")."""
    name = _HONORIFIC.sub("", re.sub(r"\s+", " ", surface.strip()))
    return re.sub(r"-([A-Z])", lambda m: "-" + m.group(1).lower(), name)


def _trim_org(text: str, start: int, end: int) -> _Found | None:
    """Drop leading function words and possessors ("Seoul's Institute for ...")."""
    words = list(re.finditer(r"\S+", text[start:end]))
    while words and (words[0].group() in _LEADING_STOPWORDS or re.search(r"['’]s$", words[0].group())):
        words.pop(0)
    if len(words) < 2:
        return None
    real_start = start + words[0].start()
    name = text[real_start:end]
    return _Found(real_start, end, re.sub(r"\s+", " ", name), "ORG", _PRIORITY_PATTERN)


def _without_overlaps(found: list[_Found]) -> list[_Found]:
    """Keep table hits over pattern hits, then longer over shorter."""
    taken: list[_Found] = []
    for cand in sorted(found, key=lambda f: (-f.priority, -(f.end - f.start), f.start)):
        if all(cand.end <= t.start or cand.start >= t.end for t in taken):
            taken.append(cand)
    return taken


_HONORIFIC = re.compile(r"^(?:Mr|Mrs|Ms|Dr|Prof)\.?\s+(?=\S+\s)")
_SURNAME = re.compile(r"\b(?:(?:Mr|Mrs|Ms|Dr)\.?\s+)?([A-Z][a-z]+)\b(?!-)")


def _surname_mentions(text: str, accepted: list[_Found]) -> list[_Found]:
    """Bare surnames resolved to the nearest preceding full name (else the next one)."""
    people = sorted((f for f in accepted if f.type == "PERSON" and " " in f.name), key=lambda f: f.start)
    out: list[_Found] = []
    for match in _SURNAME.finditer(text):
        start, end = match.start(), match.end()
        if any(not (end <= f.start or start >= f.end) for f in accepted):
            continue
        word = match.group(1)
        compatible = [p for p in people if word in (p.name.split()[0], p.name.split()[-1])]
        if not compatible:
            continue
        before = [p for p in compatible if p.start < start]
        person = before[-1] if before else compatible[0]
        out.append(_Found(start, end, person.name, "PERSON", _PRIORITY_PATTERN))
    return out
