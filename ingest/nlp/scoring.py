"""Matching rules and counts that score predicted entities and claims against a gold annotation.

One scorer serves every way of producing predictions (``analyze_article`` on a text, or the
pipeline's own marts), so a figure means the same thing whichever path made it. Gold is in
the ``seed_gold.json`` format: ``entities`` (name, type, mentions) and ``claims`` (speaker,
speaker_mention, evidence, polarity, certainty, quote, cited_source, quantities).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ingest.records import ArticleAnalysis

ATTRIBUTES = ("polarity", "certainty", "cited_source", "quote")
TARGETS = {"entity_f1": 0.90, "claim_f1": 0.85, "polarity_acc": 0.95, "certainty_acc": 0.85}


@dataclass(frozen=True, slots=True)
class PredictedClaim:
    """The fields of a claim that are scored, as the marts or the NLP stage give them."""

    sentence: str
    speaker: str | None
    polarity: str
    certainty: str
    quote: str | None = None
    cited_source: str | None = None
    quantities: tuple[float, ...] = ()


@dataclass(frozen=True, slots=True)
class Prediction:
    """What was found in one article: canonical entity names and claims."""

    entities: frozenset[str]
    claims: tuple[PredictedClaim, ...]


def from_analysis(analysis: ArticleAnalysis) -> Prediction:
    """The scored view of the NLP stage's output for one article."""
    claims = tuple(
        PredictedClaim(c.sentence, c.speaker, c.polarity, c.certainty, c.quote, c.cited_source,
                       tuple(q.value for q in c.quantities))
        for c in analysis.claims
    )
    return Prediction(frozenset(m.name for m in analysis.mentions), claims)


@dataclass
class Tally:
    """Counts that add up across articles; the rates are computed at the end."""

    entity: Counter = field(default_factory=Counter)  # pred pred_ok gold gold_found
    claim: Counter = field(default_factory=Counter)  # tp pred gold
    attributes: Counter = field(default_factory=Counter)  # <attr>_ok, pairs
    quantity: Counter = field(default_factory=Counter)  # tp pred gold

    def add(self, other: "Tally") -> None:
        for mine, theirs in ((self.entity, other.entity), (self.claim, other.claim),
                             (self.attributes, other.attributes), (self.quantity, other.quantity)):
            mine.update(theirs)

    def scores(self) -> dict[str, float]:
        e, c, q, a = self.entity, self.claim, self.quantity, self.attributes
        out = {
            "entity_p": _ratio(e["pred_ok"], e["pred"]),
            "entity_r": _ratio(e["gold_found"], e["gold"]),
            "claim_p": _ratio(c["tp"], c["pred"]),
            "claim_r": _ratio(c["tp"], c["gold"]),
            "quantity_p": _ratio(q["tp"], q["pred"]),
            "quantity_r": _ratio(q["tp"], q["gold"]),
        }
        out["entity_f1"] = _f1(out["entity_p"], out["entity_r"])
        out["claim_f1"] = _f1(out["claim_p"], out["claim_r"])
        for name in ATTRIBUTES:
            out[f"{name}_acc"] = _ratio(a[f"{name}_ok"], a["pairs"])
        return out


def score(prediction: Prediction, gold: dict) -> Tally:
    """Compare one article's prediction with its annotation.

    An entity matches when its name equals the gold name or one of the gold mentions
    (case-insensitive); a claim matches when its sentence overlaps the gold evidence and
    its speaker is the gold speaker by name or mention (unattributed meets unattributed).
    """
    tally = Tally()
    surfaces = [{_fold(e["name"]), *map(_fold, e["mentions"])} for e in gold["entities"]]
    predicted = {_fold(name) for name in prediction.entities}
    tally.entity.update(
        pred=len(predicted), pred_ok=sum(any(name in s for s in surfaces) for name in predicted),
        gold=len(surfaces), gold_found=sum(bool(s & predicted) for s in surfaces),
    )
    names = {_fold(e["name"]): e["mentions"] for e in gold["entities"]}
    pairs = _pair_claims(gold["claims"], list(prediction.claims), names)
    tally.claim.update(tp=len(pairs), pred=len(prediction.claims), gold=len(gold["claims"]))
    tally.attributes["pairs"] += len(pairs)
    for g, p in pairs:
        tally.attributes["polarity_ok"] += g["polarity"] == p.polarity
        tally.attributes["certainty_ok"] += g["certainty"] == p.certainty
        tally.attributes["cited_source_ok"] += same_text(g["cited_source"], p.cited_source)
        tally.attributes["quote_ok"] += same_text(g["quote"], p.quote)
        gold_values = Counter(float(q["value"]) for q in g["quantities"])
        tally.quantity["tp"] += sum((gold_values & Counter(p.quantities)).values())
    tally.quantity["pred"] += sum(len(p.quantities) for p in prediction.claims)
    tally.quantity["gold"] += sum(len(g["quantities"]) for g in gold["claims"])
    return tally


def _pair_claims(gold_claims: list[dict], claims: list[PredictedClaim],
                 names: dict[str, list[str]]) -> list[tuple[dict, PredictedClaim]]:
    """One-to-one pairs of matching claims, each gold claim taking its best-overlapping match;
    between claims the rules cannot tell apart (one speaker, two propositions in one
    sentence), the one whose quote and stance agree."""
    pairs: list[tuple[dict, PredictedClaim]] = []
    free = list(claims)
    for g in gold_claims:
        options = [p for p in free if overlaps(g["evidence"], p.sentence) and _same_speaker(g, p.speaker, names)]
        if options:
            best = max(options, key=lambda p: (_jaccard(g["evidence"], p.sentence), same_text(g["quote"], p.quote),
                                               g["certainty"] == p.certainty, g["polarity"] == p.polarity))
            pairs.append((g, best))
            free.remove(best)
    return pairs


def _same_speaker(gold: dict, speaker: str | None, names: dict[str, list[str]]) -> bool:
    if gold["speaker"] is None or speaker is None:
        return gold["speaker"] is None and speaker is None
    accepted = {_fold(gold["speaker"]), _fold(gold["speaker_mention"] or "")}
    accepted.update(map(_fold, names.get(_fold(gold["speaker"]), [])))
    return _fold(speaker) in accepted


def _normal(text: str) -> str:
    """Whitespace-normalised text: extraction may join a quote broken over a paragraph."""
    return " ".join(text.split())


def overlaps(evidence: str, sentence: str) -> bool:
    """Whether a predicted sentence and the gold evidence are the same stretch of text:
    one holds the other, or they share most of their words."""
    a, b = _normal(evidence), _normal(sentence)
    return a in b or b in a or _jaccard(a, b) >= 0.6


def _jaccard(a: str, b: str) -> float:
    wa, wb = set(re.findall(r"\w+", a.casefold())), set(re.findall(r"\w+", b.casefold()))
    return len(wa & wb) / max(1, len(wa | wb))


def _fold(text: str) -> str:
    return _normal(text).casefold()


def same_text(a: str | None, b: str | None) -> bool:
    """Equal up to case, spacing, surrounding quote marks and punctuation, and a leading article."""
    def norm(s: str | None) -> str:
        s = _fold(s or "").strip(" \"“”'.,;:")
        return re.sub(r"^(?:the|a|an)\s+", "", s)

    return norm(a) == norm(b)


def _ratio(num: float, den: float) -> float:
    return num / den if den else 1.0


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0
