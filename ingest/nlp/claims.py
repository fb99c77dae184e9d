"""Claims: who said what, in which sentence, how surely, and whether they deny it.

A claim is anchored on a cue: a speech or denial verb ("said", "told lawmakers",
"denied"), "according to X", a reporting noun ("a claim by Seoul that ..."), or
"reportedly"/"allegedly" narration with no speaker. The speaker is the subject noun
phrase of the cue's clause (or the phrase after an inverted cue: '..." said Lim');
pronouns, bare surnames and role phrases ("the defence minister") are resolved against
the speakers and people met so far. Direct quotes go to the nearest cue; a quote that
runs over several sentences, or a quote paragraph with no cue, keeps its speaker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import NamedTuple

from ingest.nlp.certainty import certainty
from ingest.nlp.polarity import DENY_VERBS, polarity
from ingest.nlp.quantities import find_quantities
from ingest.nlp.quotes import find_quotes
from ingest.nlp.sentences import Span
from ingest.records import Claim, Mention

SPEECH_VERBS = frozenset(
    "said says say told tells added adds reported reports claimed claims claim accused accuses "
    "assessed assesses warned warns wrote writes commented alleged alleges stated announced "
    "insisted insists argued argues suggested confirmed confirms acknowledged admitted stressed "
    "emphasized emphasised predicted likened characterized characterised described explained "
    "asserted maintained concluded testified tweeted quoted".split()
) | DENY_VERBS
# The cue of a quote sentence with no attribution words, spoken by the quote's speaker.
CONTINUED_QUOTE = "continued quote"
_NOUN_ABLE = frozenset("reports claims claim says".split())
_GERUND_CUES = frozenset(
    "accusing saying claiming alleging suggesting denying adding noting warning insisting arguing stressing".split()
)
_NEGATIONS = frozenset("not never".split())
_AUXILIARIES = frozenset("do does did has have had is was are were will would could can".split())
_SPOKESPEOPLE = frozenset("spokesman spokeswoman spokesperson".split())
_TELL_VERBS = frozenset("told tells".split())
PRONOUNS = frozenset("he she it they".split())
ROLE_NOUNS = frozenset(
    "minister spokesman spokeswoman spokesperson president leader secretary chief head commander "
    "director ambassador envoy adviser advisor premier chancellor governor general".split()
)
GENERIC_HEADS = frozenset(
    "experts expert analysts analyst officials official lawmakers legislators sources source media "
    "reports report diplomats observers critics researchers scientists residents witnesses "
    "authorities military government army statement ministry agency journalists outlets allies "
    "intelligence lawmaker diplomat observer critic researcher scientist resident witness journalist "
    "legislator".split()
)
_INSTITUTIONS = frozenset("military government army ministry agency".split())
_DOCUMENTS = frozenset("report statement".split())
MODIFIERS = frozenset(
    "state news defence defense foreign intelligence unnamed anonymous senior former top national "
    "security state-run state-controlled deputy vice prime joint western local unification "
    "military government spy then".split()
)
_DETERMINERS = frozenset("the a an some many several other these those such its their his her".split())
_DROP_IN_NAME = frozenset("the a an some many several other unnamed anonymous".split())
_BOUNDARY_WORDS = frozenset(
    "that which who whom after before when while as because but since although though if where "
    "and".split()
)
_FUNCTION_CAPS = frozenset(
    "The A An In On At When After Before But And Both Earlier Later Meanwhile While As For From With "
    "This That These Those It He She They We Its His Her Their There If Also Some Many".split()
)
_ADVERBIAL_START = frozenset(
    "during without on in at to after before while when as since for from with by about over "
    "earlier later yesterday today".split()
)
_TIME_WORDS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday yesterday today".split()
)
_QUALIFIERS = {"defence": "defense", "defense": "defense", "foreign": "foreign", "prime": "prime"}
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*"
_TOKEN = re.compile(r"[A-Za-z]\.(?:[A-Za-z]\.)+|\w+(?:[-'’]\w+)*|[^\w\s]")
_UNATTRIBUTED = re.compile(
    r"\b(reportedly|allegedly|there\s+(?:have|has)\s+(?:also\s+)?been\s+reports|there\s+(?:are|were)\s+reports)\b",
    re.IGNORECASE,
)
_NOUN_CUE = re.compile(r"\b(claims?|reports?|allegations?|assessments?)\s+(?:by|in|from)\s+", re.IGNORECASE)
_TRUTH_TAIL = re.compile(r"\s+(?:is|was|are|were)\b[^,]*\b(?:true|correct|accurate|false|untrue|wrong)\b.*$", re.S)
_QUOTE_MARKS = "\"“”"
_AMOUNT = re.compile(r"\s*(?:about|around|over|at least|up to|more than|nearly|almost|some)\s+(?:\d|a\s+(?:dozen|hundred|thousand)|(?:one|two|three|four|five|six|seven|eight|nine|ten)\b)", re.I)


@dataclass(slots=True)
class _Token:
    start: int  # offsets into the sentence text
    end: int
    text: str

    @property
    def low(self) -> str:
        return self.text.lower()


@dataclass(slots=True)
class _Speaker:
    name: str | None
    surface: str | None
    type: str | None
    start: int = -1  # sentence offsets of the phrase, -1 when implicit
    end: int = -1
    role: str | None = None  # a role phrase still to resolve ("defense minister")
    mention: Mention | None = None


@dataclass(slots=True)
class _Draft:
    sentence_index: int
    cue: str
    cue_verb: str
    cue_start: int
    cue_end: int
    speaker: _Speaker
    content: tuple[int, int]
    kind: str = "verb"  # verb | inverted | noun | according | gerund | unattributed | carried
    quotes: list[str] = field(default_factory=list)
    quote_ids: set[int] = field(default_factory=set)
    cited_source: str | None = None


@dataclass(slots=True)
class _Sentence:
    index: int
    span: Span
    tokens: list[_Token]
    mentions: list[Mention]
    quote_segments: list[tuple[int, int, int]]  # (quote id, start, end) in sentence offsets

    def mention_at(self, token: _Token) -> Mention | None:
        absolute = self.span.start + token.start
        for mention in self.mentions:
            if mention.start <= absolute < mention.end:
                return mention
        return None

    def in_quote(self, offset: int) -> bool:
        return any(s <= offset < e for _, s, e in self.quote_segments)


class ClaimExtractor:
    """Finds the claims of one article; holds the speakers met so far for resolution."""

    def __init__(self, text: str, sentences: list[Span], mentions: list[Mention]) -> None:
        self.text = text
        self.mentions = mentions
        self.quotes = find_quotes(text)
        self.sentences = [self._prepare(i, s) for i, s in enumerate(sentences)]
        self.roles = _role_map(text, mentions)
        self.drafts: list[_Draft] = []
        self.renamed: dict[int, str] = {}  # mention start -> corrected canonical name
        self.speaker_mentions: list[Mention] = []  # bodies known only as speakers

    def _prepare(self, index: int, span: Span) -> _Sentence:
        tokens = [_Token(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(span.text)]
        inside = [m for m in self.mentions if span.start <= m.start < span.end]
        segments = [
            (qid, max(q.start, span.start) - span.start, min(q.end, span.end) - span.start)
            for qid, q in enumerate(self.quotes)
            if q.start < span.end and q.end > span.start
        ]
        return _Sentence(index, span, tokens, inside, segments)

    # ------------------------------------------------------------------ driver
    def run(self) -> list[Claim]:
        for sentence in self.sentences:
            drafts = self._sentence_drafts(sentence)
            self._assign_quotes(sentence, drafts)
            self._attach_cited_sources(sentence, drafts)
            self.drafts.extend(drafts)
        self._carry_quotes()
        self._resolve_roles()
        return [self._finish(d) for d in sorted(self.drafts, key=lambda d: (d.sentence_index, _anchor(d)))]

    def _sentence_drafts(self, sentence: _Sentence) -> list[_Draft]:
        cues = self._cues(sentence)
        drafts: list[_Draft] = []
        for cue in cues:
            for speaker in cue["speakers"](drafts):
                drafts.append(
                    _Draft(
                        sentence_index=sentence.index, cue=cue["cue"], cue_verb=cue["verb"],
                        cue_start=cue["start"], cue_end=cue["end"], speaker=speaker,
                        content=(0, 0), kind=cue["kind"],
                    )
                )
        for draft in drafts:
            draft.content = self._content(sentence, draft, drafts)
        if not drafts:
            unattributed = _UNATTRIBUTED.search(sentence.span.text)
            if unattributed and not sentence.in_quote(unattributed.start()):
                word = unattributed.group(1).split()[-1].lower()
                drafts.append(
                    _Draft(sentence.index, word, word, unattributed.start(), unattributed.end(),
                           _Speaker(None, None, None), (0, len(sentence.span.text)), "unattributed")
                )
        return drafts

    # ------------------------------------------------------------------ cues
    def _cues(self, sentence: _Sentence) -> list[dict]:
        """Every cue with a callable giving its speakers (callable so that coordinated
        verbs and pronouns can see the drafts made earlier in the sentence)."""
        tokens = sentence.tokens
        cues: list[dict] = []
        for i, token in enumerate(tokens):
            if sentence.in_quote(token.start):
                continue
            low = token.low
            if low == "according" and i + 1 < len(tokens) and tokens[i + 1].low == "to":
                group = _group(sentence, i + 2, len(tokens))
                if group:
                    cues.append(self._cue("according to", "according", token.start, tokens[i + 1].end,
                                          lambda _d, g=group: self._speakers_of(sentence, g), "according"))
            elif low in _GERUND_CUES and i > 0 and tokens[i - 1].low == "for":
                group = _last_group(sentence, 0, i - 1)
                if group:
                    cues.append(self._cue(token.text, low, token.start, token.end,
                                          lambda _d, g=group: self._speakers_of(sentence, g), "gerund"))
            elif low in _GERUND_CUES and i > 0 and tokens[i - 1].text == ",":
                # "..., adding that ...": the speaker of the clause it hangs on
                cues.append(self._cue(token.text, low, token.start, token.end,
                                      lambda drafts: [drafts[-1].speaker] if drafts else []))
            elif low in SPEECH_VERBS and token.text[0].islower() and self._is_verb(tokens, i):
                negation = _negation(tokens, i)
                if negation is not None and low not in DENY_VERBS:
                    continue  # "has not commented", "did not respond": nothing was said
                cue = self._verb_cue(sentence, i, negation)
                if cue:
                    cues.append(cue)
        for match in _NOUN_CUE.finditer(sentence.span.text):
            if sentence.in_quote(match.start()):
                continue
            first = _token_index(tokens, match.end())
            group = _group(sentence, first, len(tokens), strict=True) if first is not None else None
            if group and tokens[_coordination_end(sentence, group)].low == "that":
                cues.append(self._cue(match.group(1).lower(), match.group(1).lower(),
                                      match.start(), match.end(1),
                                      lambda _d, g=group: self._speakers_of(sentence, g), "noun"))
        return sorted(cues, key=lambda c: c["start"])

    @staticmethod
    def _cue(cue: str, verb: str, start: int, end: int, speakers, kind: str = "verb") -> dict:
        return {"cue": cue, "verb": verb, "start": start, "end": end, "speakers": speakers, "kind": kind}

    @staticmethod
    def _is_verb(tokens: list[_Token], i: int) -> bool:
        prev = tokens[i - 1].low if i > 0 else ""
        nxt = tokens[i + 1].low if i + 1 < len(tokens) else ""
        if prev in _DETERMINERS or prev in {"is", "was", "were", "are", "be", "been", "being"}:
            return False  # a noun ("the report") or a passive ("was told")
        if tokens[i].low in _NOUN_ABLE and (nxt in {"of", "by", "in", "from"} or nxt in SPEECH_VERBS):
            return False
        return True

    def _verb_cue(self, sentence: _Sentence, i: int, negation: int | None = None) -> dict | None:
        """A cue on a speech verb; a negated denial ("did not deny", from token ``negation``)
        keeps its negation in the cue, which is then no denial verb."""
        tokens = sentence.tokens
        verb = tokens[i]
        cue_end = verb.end
        if verb.low in _TELL_VERBS:  # "told lawmakers", "told the Kyiv Post"
            obj = _group(sentence, i + 1, min(len(tokens), i + 8), strict=True, lowercase=True)
            if obj and obj[0] == i + 1:
                cue_end = tokens[obj[1] - 1].end
        elif i + 2 < len(tokens) and tokens[i + 1].low in {"to", "on", "in"}:
            # "commented to journalists", "wrote on Telegram", "said in a statement"
            obj = _group(sentence, i + 2, min(len(tokens), i + 6), strict=True, lowercase=True)
            if obj and obj[0] == i + 2:
                cue_end = tokens[obj[1] - 1].end
        cue_start = verb.start if negation is None else tokens[negation].start
        cue_text = sentence.span.text[cue_start:cue_end]
        verb_word = verb.low if negation is None else cue_text
        head = i if negation is None else negation
        start = _clause_start(sentence, head)
        if start == head and start > 0 and (tokens[start - 1].text in _QUOTE_MARKS or tokens[start - 1].text == ","):
            # nothing between the boundary and the verb
            if tokens[start - 1].text == "," and not _after_quote(tokens, start - 1):
                appositive = self._appositive_subject(sentence, start - 1)
                if appositive:
                    return self._cue(cue_text, verb_word, cue_start, cue_end,
                                     lambda _d, g=appositive: self._speakers_of(sentence, g))
            group = _group(sentence, i + 1, len(tokens), strict=True)
            if group and group[0] == i + 1:  # inverted: '..." said Lim Eul-chul'
                return self._cue(cue_text, verb_word, cue_start, cue_end,
                                 lambda _d, g=group: self._speakers_of(sentence, g), "inverted")
            return None
        if start == head and start > 0 and tokens[start - 1].low == "and":
            return self._cue(cue_text, verb_word, cue_start, cue_end,
                             lambda drafts: [drafts[-1].speaker] if drafts else [])
        group = _group(sentence, start, i)
        if not group:
            return None
        return self._cue(cue_text, verb_word, cue_start, cue_end,
                         lambda drafts, g=group: self._speakers_of(sentence, g, drafts))

    def _appositive_subject(self, sentence: _Sentence, comma: int) -> tuple[int, int] | None:
        """'A, B, said': B when it is the person's name, or a named body while A only
        describes one ("South Korea's spy agency, the National Intelligence Service,"), else A."""
        tokens = sentence.tokens
        previous = [k for k in range(comma - 1, -1, -1) if tokens[k].text == ","]
        if not previous:
            return None
        middle = (previous[0] + 1, comma)
        named = [m for k in range(*middle) if (m := sentence.mention_at(tokens[k]))]
        if any(m.type == "PERSON" for m in named):
            return _group(sentence, *middle)
        start = _clause_start(sentence, previous[0])
        first = _group(sentence, start, previous[0])
        if first and named and named[0].type == "ORG" and tokens[middle[0]].low in {"the", "its"} \
                and not sentence.mention_at(tokens[first[1] - 1]):
            return _group(sentence, *middle)
        return first

    # ------------------------------------------------------------------ speakers
    def _speakers_of(self, sentence: _Sentence, group: tuple[int, int],
                     drafts: list[_Draft] | None = None) -> list[_Speaker]:
        """The speaker(s) a noun phrase names, splitting "X and Y" when both are named."""
        tokens = sentence.tokens
        speakers = [self._speaker(sentence, group, drafts or [])]
        k = group[1]
        while k + 1 < len(tokens) and tokens[k].low == "and":
            nxt = _group(sentence, k + 1, len(tokens), strict=True)
            if not nxt or nxt[0] != k + 1 or not any(sentence.mention_at(tokens[j]) for j in range(*nxt)):
                break
            speakers.append(self._speaker(sentence, nxt, drafts or []))
            k = nxt[1]
        return [s for s in speakers if s.name or s.role]

    def _speaker(self, sentence: _Sentence, group: tuple[int, int], drafts: list[_Draft]) -> _Speaker:
        tokens = sentence.tokens[group[0]:group[1]]
        start, end = tokens[0].start, tokens[-1].end
        surface = sentence.span.text[start:end]
        if len(tokens) == 1 and tokens[0].low in PRONOUNS:
            found = self._antecedent(sentence, tokens[0].low, drafts, start)
            return replace(found, surface=surface, start=start, end=end, mention=None) if found else \
                _Speaker(None, surface, None, start, end)
        mentions: list[Mention] = []
        for token in tokens:
            mention = sentence.mention_at(token)
            if mention and mention not in mentions:
                mentions.append(mention)
        people = [m for m in mentions if m.type == "PERSON"]
        if people:
            return self._person_speaker(sentence, people[-1], surface, start, end, drafts)
        head = re.sub(r"['’]s$", "", tokens[-1].low)
        head_named = sentence.mention_at(tokens[-1]) is not None
        definite = tokens[0].low not in {"a", "an"}
        body = self._represented_body(sentence, group) if head in _SPOKESPEOPLE else None
        if body:
            body_end = body.end - sentence.span.start
            return _Speaker(body.name, sentence.span.text[start:body_end], body.type, start, body_end, mention=body)
        if tokens[0].low == "the" and len(tokens) == 2 and head in GENERIC_HEADS | ROLE_NOUNS:
            earlier = self._earlier_speaker(sentence.index, head, drafts)
            if earlier:  # "the official" after "a senior U.S. official said"
                return replace(earlier, surface=surface, start=start, end=end, role=None)
        if head in ROLE_NOUNS and not head_named and definite:
            return _Speaker(None, surface, "PERSON", start, end, role=_role_key([t.low for t in tokens]))
        if head in _DOCUMENTS and not mentions:
            org = self._recent_org(sentence.span.start + start)
            if org:
                return _Speaker(org.name, surface, org.type, start, end)
        if mentions and head_named:
            last = mentions[-1]
            return _Speaker(last.name, surface, last.type, start, end, mention=last)
        if head in GENERIC_HEADS | ROLE_NOUNS:
            words = [t.text for t in tokens if t.low not in _DROP_IN_NAME]
            name = " ".join(w.lower() if w.lower() in GENERIC_HEADS | MODIFIERS | ROLE_NOUNS else w for w in words)
            if head in _INSTITUTIONS and name != name.lower():
                self._institution_mention(sentence, tokens, name)
            return _Speaker(name, surface, "ORG" if head in _INSTITUTIONS else None, start, end)
        return _Speaker(None, None, None)

    def _institution_mention(self, sentence: _Sentence, tokens: list[_Token], name: str) -> None:
        """A national body named only by its description ("the South Korean military") is an
        entity too, though the alias table and name patterns cannot know it."""
        words = tokens[1:] if tokens[0].low in _DETERMINERS else tokens
        start, end = sentence.span.start + words[0].start, sentence.span.start + words[-1].end
        if all(m.start != start for m in self.speaker_mentions):
            self.speaker_mentions.append(
                Mention(self.text[start:end], name, "ORG", sentence.index, start, end)
            )

    @staticmethod
    def _represented_body(sentence: _Sentence, group: tuple[int, int]) -> Mention | None:
        """The organisation or government in "a spokesperson for/of (the) X"."""
        tokens = sentence.tokens
        k = group[1]
        if k + 1 >= len(tokens) or tokens[k].low not in {"for", "of", "at"}:
            return None
        k += 2 if tokens[k + 1].low == "the" else 1
        mention = sentence.mention_at(tokens[k]) if k < len(tokens) else None
        return mention if mention and mention.type in {"ORG", "GPE"} else None

    def _earlier_speaker(self, index: int, head: str, drafts: list[_Draft]) -> _Speaker | None:
        """The latest named speaker, in this or the previous three sentences, whose own
        phrase had the same head noun."""
        pattern = re.compile(rf"\b{re.escape(head)}\b", re.IGNORECASE)
        pool = list(reversed(drafts)) + sorted(
            (d for d in self.drafts if index - 4 < d.sentence_index < index), key=lambda d: -d.sentence_index
        )
        for draft in pool:
            if draft.speaker.name and draft.speaker.surface and pattern.search(draft.speaker.surface):
                return draft.speaker
        return None

    def _person_speaker(self, sentence: _Sentence, mention: Mention, surface: str, start: int,
                        end: int, drafts: list[_Draft]) -> _Speaker:
        """A bare surname ("Kim said") prefers the latest speaker with that name."""
        name = mention.name
        bare = re.sub(r"^(?:Mr|Mrs|Ms|Dr)\.?\s+", "", mention.surface)
        if " " not in bare:
            for draft in reversed(self.drafts + drafts):
                spoken = draft.speaker.name or ""
                if draft.speaker.type == "PERSON" and bare in spoken.split():
                    name = spoken
                    break
            if name != mention.name:
                self.renamed[mention.start] = name
        return _Speaker(name, surface, "PERSON", start, end, mention=mention)

    def _antecedent(self, sentence: _Sentence, pronoun: str, drafts: list[_Draft], offset: int) -> _Speaker | None:
        """Latest compatible speaker: earlier in this sentence, then each previous
        sentence's first (main-clause) speaker."""
        wanted = {"he": {"PERSON"}, "she": {"PERSON"}, "it": {"ORG", "GPE"}, "they": {"ORG", "GPE", None}}[pronoun]
        for draft in reversed(drafts):
            if draft.cue_start < offset and draft.speaker.name and draft.speaker.type in wanted:
                return draft.speaker
        for index in range(sentence.index - 1, max(-1, sentence.index - 4), -1):
            earlier = [d for d in self.drafts if d.sentence_index == index and d.speaker.name]
            for draft in sorted(earlier, key=_anchor):
                if draft.speaker.type in wanted:
                    return draft.speaker
        if "PERSON" in wanted:
            before = [m for m in self.mentions if m.type == "PERSON" and m.start < sentence.span.start + offset]
            if before:
                return _Speaker(before[-1].name, None, "PERSON")
        return None

    def _recent_org(self, offset: int) -> Mention | None:
        before = [m for m in self.mentions if m.type == "ORG" and m.end <= offset]
        return before[-1] if before else None

    def _resolve_roles(self) -> None:
        """Role phrases ("Seoul's defense minister") become the person holding the role in
        this article, else the nearest person speaker."""
        for draft in self.drafts:
            role = draft.speaker.role
            if not role:
                continue
            offset = self.sentences[draft.sentence_index].span.start + draft.speaker.start
            holders = self.roles.get(role, [])
            if holders:
                before = [m for m in holders if m.start < offset]
                person = (before[-1] if before else holders[0]).name
            else:
                person = self._nearest_person_speaker(draft.sentence_index)
            if person:
                draft.speaker = replace(draft.speaker, name=person, role=None)

    def _nearest_person_speaker(self, index: int) -> str | None:
        named = [d for d in self.drafts if d.speaker.type == "PERSON" and d.speaker.name and not d.speaker.role]
        if not named:
            return None
        best = min(named, key=lambda d: (abs(d.sentence_index - index), d.sentence_index < index))
        return best.speaker.name if abs(best.sentence_index - index) <= 2 else None

    # ------------------------------------------------------------------ content
    def _content(self, sentence: _Sentence, draft: _Draft, drafts: list[_Draft]) -> tuple[int, int]:
        """Character range holding what the speaker states."""
        text = sentence.span.text
        later = [d for d in drafts if d.cue_start > draft.cue_start]
        limit = min((_anchor(d) for d in later), default=len(text))
        if draft.kind == "noun":
            return self._noun_content(text, draft)
        if draft.kind == "according" and not text[:draft.cue_start].strip():
            comma = text.find(",", draft.speaker.end)
            return (comma + 1 if comma != -1 else draft.speaker.end), limit
        if draft.kind in {"according", "inverted"}:
            return 0, draft.cue_start
        after = text[draft.cue_end:limit]
        that = re.search(r"\bthat\b", after)
        words = re.findall(r"[\w’']+", after)
        if that and len(re.findall(r"[\w’']+", after[:that.start()])) <= 12:
            return draft.cue_end + that.end(), limit
        before_end = draft.speaker.start if draft.speaker.start >= 0 else draft.cue_start
        adverbial = bool(words) and words[0].lower() in _ADVERBIAL_START | _TIME_WORDS and not _AMOUNT.match(after)
        if not words or adverbial or after.lstrip().startswith(","):
            if after.lstrip().startswith(","):
                return 0, limit  # parenthetical cue: "The key question, he added, is ..."
            return 0, before_end
        return draft.cue_end, limit

    @staticmethod
    def _noun_content(text: str, draft: _Draft) -> tuple[int, int]:
        that = re.search(r"\bthat\b", text[draft.cue_end:])
        start = draft.cue_end + that.end() if that else draft.cue_end
        comma = text.find(",", start)
        end = comma if comma != -1 else len(text)
        tail = _TRUTH_TAIL.search(text[start:end])
        return start, start + tail.start() if tail else end

    # ------------------------------------------------------------------ quotes and sources
    def _assign_quotes(self, sentence: _Sentence, drafts: list[_Draft]) -> None:
        """Each quote goes to the nearest cue before it, else the nearest after it."""
        attributed = [d for d in drafts if d.speaker.name or d.speaker.role]
        for qid, start, end in sentence.quote_segments:
            before = [d for d in attributed if d.cue_end <= start]
            after = [d for d in attributed if d.cue_start >= end]
            target = before[-1] if before else (after[0] if after else None)
            if target is None:
                unattributed = [d for d in drafts if d.cue_end <= start]
                target = unattributed[-1] if unattributed else None
            if target is not None:
                target.quotes.append(_quote_text(sentence.span.text[start:end]))
                target.quote_ids.add(qid)

    def _carry_quotes(self) -> None:
        """Quote parts with no cue in their sentence: the same quote's speaker when the
        quote runs on from (or into) an attributed sentence, else the previous speaker
        when the whole sentence is a quote."""
        by_quote: dict[int, _Draft] = {}
        for draft in self.drafts:
            for qid in draft.quote_ids:
                by_quote.setdefault(qid, draft)
        for sentence in self.sentences:
            if any(d.sentence_index == sentence.index for d in self.drafts):
                continue
            for qid, start, end in sentence.quote_segments:
                source = by_quote.get(qid) or (self._previous_speaker(sentence) if _whole_quote(sentence, start, end) else None)
                if source is None:
                    continue
                speaker = replace(source.speaker, start=-1, end=-1, surface=None)
                draft = _Draft(sentence.index, CONTINUED_QUOTE, "", start, start, speaker, (0, len(sentence.span.text)),
                               "carried", [_quote_text(sentence.span.text[start:end])], {qid})
                self.drafts.append(draft)
                by_quote.setdefault(qid, draft)

    def _previous_speaker(self, sentence: _Sentence) -> _Draft | None:
        earlier = [d for d in self.drafts if d.sentence_index == sentence.index - 1 and (d.speaker.name or d.speaker.role)]
        quoted = [d for d in earlier if d.quotes]
        pool = quoted or sorted(earlier, key=_anchor)
        return pool[0] if pool else None

    def _attach_cited_sources(self, sentence: _Sentence, drafts: list[_Draft]) -> None:
        """"citing X" goes to the nearest cue; "quoted X as saying" to the quoting cue."""
        tokens = sentence.tokens
        for i, token in enumerate(tokens):
            if token.low not in {"citing", "quoted"} or sentence.in_quote(token.start):
                continue
            group = _group(sentence, i + 1, len(tokens), strict=True, lowercase=True)
            if not group or group[0] != i + 1:
                continue
            end = group[1]
            end = _source_tail(sentence, end)
            cited = sentence.span.text[tokens[group[0]].start:tokens[end - 1].end]
            targets = [d for d in drafts if d.cue_verb == "quoted"] if token.low == "quoted" else drafts
            if targets:
                nearest = min(abs(d.cue_start - token.start) for d in targets)
                for draft in targets:
                    if abs(draft.cue_start - token.start) == nearest or token.low == "quoted":
                        draft.cited_source = cited

    # ------------------------------------------------------------------ output
    def _finish(self, draft: _Draft) -> Claim:
        sentence = self.sentences[draft.sentence_index]
        text = sentence.span.text
        start, end = draft.content
        raw = text[start:end]
        effective = raw
        for other in self.drafts:
            # an embedded claim's hedges are not the outer speaker's, except for a source the
            # whole report is "according to"
            if other is draft or other.sentence_index != draft.sentence_index or draft.kind == "according":
                continue
            o_start, o_end = other.content
            if start <= o_start and o_end <= end and (o_start, o_end) != (start, end):
                effective = effective.replace(text[o_start:o_end], " ")
        speaker = draft.speaker
        return Claim(
            sentence_index=draft.sentence_index,
            sentence=text,
            cue=draft.cue,
            polarity=polarity(draft.cue_verb, effective),
            certainty=certainty(effective),
            speaker=speaker.name,
            speaker_surface=speaker.surface,
            speaker_type=speaker.type if speaker.name else None,
            quote=" … ".join(draft.quotes) if draft.quotes else None,
            cited_source=draft.cited_source,
            quantities=find_quantities(text, start, end),
        )


# ---------------------------------------------------------------------- phrase helpers
def _np_word(sentence: _Sentence, token: _Token) -> bool:
    """Whether a token can sit inside a speaker noun phrase."""
    if sentence.mention_at(token):
        return True
    low = re.sub(r"['’]s$", "", token.low)
    if low in ROLE_NOUNS or low in GENERIC_HEADS or low in MODIFIERS or low.startswith("then-"):
        return True
    if low in _TIME_WORDS or re.fullmatch(_MONTH, token.text):
        return False
    return token.text[0].isupper() and token.text not in _FUNCTION_CAPS and token.text[0].isalpha()


def _group(sentence: _Sentence, start: int, stop: int, strict: bool = False,
           lowercase: bool = False) -> tuple[int, int] | None:
    """The first noun phrase in tokens[start:stop] (``strict``: it must start at ``start``).
    ``lowercase`` also admits plain lowercase nouns, for cited sources."""
    tokens = sentence.tokens
    k = start
    while k < stop:
        token = tokens[k]
        if token.low in PRONOUNS:
            return k, k + 1
        if token.low in _DETERMINERS and k + 1 < stop and (_np_word(sentence, tokens[k + 1]) or lowercase):
            break
        if _np_word(sentence, token) or (lowercase and _plain_word(token)):
            break
        if strict:
            return None
        k += 1
    if k >= stop:
        return None
    first = k
    k += 1 if tokens[k].low in _DETERMINERS else 0
    proper_seen = False
    while k < stop:
        token = tokens[k]
        if _np_word(sentence, token) or (lowercase and _plain_word(token) and not proper_seen):
            proper_seen = proper_seen or token.text[0].isupper()
            k += 1
            continue
        if token.low == "of" and k + 1 < stop and (_np_word(sentence, tokens[k + 1]) or tokens[k + 1].low == "the"):
            k += 1
            continue
        break
    return (first, k) if k > first else None


def _plain_word(token: _Token) -> bool:
    """A lowercase word that can continue an object or source phrase ("members", "country's")."""
    return bool(re.fullmatch(r"[a-z]+(?:['’]s)?", token.text)) and \
        token.low not in _BOUNDARY_WORDS | _ADVERBIAL_START | SPEECH_VERBS


def _last_group(sentence: _Sentence, start: int, stop: int) -> tuple[int, int] | None:
    """The noun phrase that ends right before ``stop`` ("blasted Nato for ...")."""
    k = stop
    while k > start and _np_word(sentence, sentence.tokens[k - 1]):
        k -= 1
    return (k, stop) if k < stop else None


def _clause_start(sentence: _Sentence, verb: int) -> int:
    """Index just after the nearest clause boundary left of the verb; "X and Y said"
    keeps both conjuncts."""
    tokens = sentence.tokens
    k = verb - 1
    while k >= 0:
        token = tokens[k]
        if token.text == ")" and k >= 3 and tokens[k - 2].text == "(" and tokens[k - 1].text.isupper() \
                and _np_word(sentence, tokens[k - 3]):
            k -= 3  # an acronym after its name: "the Joint Chiefs of Staff (JCS) said"
            continue
        if token.text in {",", ";", ":", "—", "–", "-", "(", ")"} or token.text in _QUOTE_MARKS:
            return k + 1
        if token.low in _BOUNDARY_WORDS:
            if token.low == "and" and k > 0 and k + 1 < verb and _np_word(sentence, tokens[k - 1]) \
                    and (_np_word(sentence, tokens[k + 1]) or tokens[k + 1].low in _DETERMINERS):
                k -= 1
                continue
            return k + 1
        if token.low in SPEECH_VERBS - _NOUN_ABLE and k != verb:
            return k + 1
        k -= 1
    return 0


def _source_tail(sentence: _Sentence, end: int) -> int:
    """Extend a cited source over where it sits ("sources in Kyiv", "intelligence from the
    front"): a place named, or a short phrase that ends the clause."""
    tokens = sentence.tokens
    if end + 1 >= len(tokens) or tokens[end].low not in {"in", "from", "at", "within"}:
        return end
    place = sentence.mention_at(tokens[end + 1])
    if place and place.type in {"GPE", "LOC"}:
        return end + 2
    k = end + 1
    while k < len(tokens) and k <= end + 4 and (_plain_word(tokens[k]) or tokens[k].low in _DETERMINERS):
        k += 1
    closes = k == len(tokens) or tokens[k].text in {",", ".", ";"}
    return k if closes and k > end + 1 and tokens[k - 1].low not in _DETERMINERS else end


def _negation(tokens: list[_Token], verb: int) -> int | None:
    """Where a negation of the verb starts ("did not deny", "has not publicly commented"),
    or None when the verb is not negated."""
    for k in range(verb - 1, max(-1, verb - 4), -1):
        low = tokens[k].low
        if not low[:1].isalnum():
            return None
        if low in _NEGATIONS or low.endswith(("n't", "n’t")):
            return k - 1 if k > 0 and tokens[k - 1].low in _AUXILIARIES else k
    return None


def _coordination_end(sentence: _Sentence, group: tuple[int, int]) -> int:
    """End of "X and Y" starting with ``group`` (the group's own end when nothing is coordinated)."""
    tokens = sentence.tokens
    end = group[1]
    while end + 1 < len(tokens) and tokens[end].low == "and":
        nxt = _group(sentence, end + 1, len(tokens), strict=True)
        if not nxt:
            break
        end = nxt[1]
    return min(end, len(tokens) - 1)


def _after_quote(tokens: list[_Token], comma: int) -> bool:
    return comma > 0 and tokens[comma - 1].text in _QUOTE_MARKS


def _token_index(tokens: list[_Token], offset: int) -> int | None:
    for i, token in enumerate(tokens):
        if token.start >= offset:
            return i
    return None


def _role_key(words: list[str]) -> str:
    words = [re.sub(r"['’]s$", "", w) for w in words]
    head = words[-1]
    if len(words) > 1 and words[-2] in _QUALIFIERS:
        return f"{_QUALIFIERS[words[-2]]} {head}"
    return head


def _role_map(text: str, mentions: list[Mention]) -> dict[str, list[Mention]]:
    """People introduced with a role: "Defense Minister Kim", "Seoul's defense minister,
    Kim Yong-hyun," or "Kim Yong-hyun, the defence minister"."""
    roles: dict[str, list[Mention]] = {}
    for mention in mentions:
        if mention.type != "PERSON" or " " not in mention.name:
            continue
        before = re.findall(r"[\w’'-]+", text[max(0, mention.start - 40):mention.start].lower())[-3:]
        after = re.match(r",\s+(?:the|a|an)\s+([\w’' -]+?)(?:,|\.|\s+of\b)", text[mention.end:mention.end + 60])
        candidates = [before]
        if after:
            candidates.append(after.group(1).lower().split())
        for words in candidates:
            while words and words[-1] not in ROLE_NOUNS:
                words = words[:-1]
            if words:
                roles.setdefault(_role_key(words), []).append(mention)
    return roles


def _anchor(draft: _Draft) -> int:
    """Where a claim starts in its sentence: its speaker phrase or its cue."""
    return min(draft.cue_start, draft.speaker.start) if draft.speaker.start >= 0 else draft.cue_start


def _quote_text(segment: str) -> str:
    return segment.strip().strip(_QUOTE_MARKS).strip()


def _whole_quote(sentence: _Sentence, start: int, end: int) -> bool:
    text = sentence.span.text
    return len(text[:start].strip(_QUOTE_MARKS + " \n")) == 0 and len(text[end:].strip(_QUOTE_MARKS + " .\n")) <= 2


class ClaimFindings(NamedTuple):
    """Claims of one article and what attribution taught about its entities."""

    claims: list[Claim]
    renamed: dict[int, str]  # surname mention start -> the canonical name the speaker context chose
    speaker_mentions: list[Mention]  # bodies met only as speakers ("the South Korean military")


def extract_claims(text: str, sentences: list[Span], mentions: list[Mention]) -> ClaimFindings:
    """Claims of one article, with renamed surname mentions and speaker-only bodies."""
    extractor = ClaimExtractor(text, sentences, mentions)
    claims = extractor.run()
    return ClaimFindings(claims, extractor.renamed, extractor.speaker_mentions)
