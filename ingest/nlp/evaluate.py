"""Score the NLP stage against the hand-annotated seed articles.

``python -m ingest.nlp.evaluate [--gold FILE] [--seeds DIR]`` runs ``analyze_article`` on
each seed's main text (cut between the annotated first and last sentence) and prints,
per seed and overall: entity P/R/F1 (canonical name + type, per article), claim speaker
P/R/F1 (a predicted claim meets a gold claim in the same evidence sentence), polarity,
certainty, cited-source and quote accuracy over the met pairs, and quantity P/R.
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ingest.nlp import analyze_article
from ingest.records import Claim

FIXTURES = Path(__file__).resolve().parents[2] / "tests" / "fixtures"
DEFAULT_GOLD = FIXTURES / "seed_gold.json"
DEFAULT_SEEDS = FIXTURES / "seeds"
_ATTRIBUTES = ("polarity", "certainty", "cited_source", "quote")


@dataclass
class Tally:
    """Counts that add up across articles; the rates are computed at the end."""

    entity: Counter = field(default_factory=Counter)  # tp fp fn
    speaker: Counter = field(default_factory=Counter)  # tp pred gold
    attributes: Counter = field(default_factory=Counter)  # <attr>_ok, pairs
    quantity: Counter = field(default_factory=Counter)  # tp pred gold

    def add(self, other: "Tally") -> None:
        for mine, theirs in ((self.entity, other.entity), (self.speaker, other.speaker),
                             (self.attributes, other.attributes), (self.quantity, other.quantity)):
            mine.update(theirs)

    def scores(self) -> dict[str, float]:
        e, s, q, a = self.entity, self.speaker, self.quantity, self.attributes
        out = {
            "entity_p": _ratio(e["tp"], e["tp"] + e["fp"]),
            "entity_r": _ratio(e["tp"], e["tp"] + e["fn"]),
            "speaker_p": _ratio(s["tp"], s["pred"]),
            "speaker_r": _ratio(s["tp"], s["gold"]),
            "quantity_p": _ratio(q["tp"], q["pred"]),
            "quantity_r": _ratio(q["tp"], q["gold"]),
        }
        out["entity_f1"] = _f1(out["entity_p"], out["entity_r"])
        out["speaker_f1"] = _f1(out["speaker_p"], out["speaker_r"])
        for name in _ATTRIBUTES:
            out[f"{name}_acc"] = _ratio(a[f"{name}_ok"], a["pairs"])
        return out


def main_text(raw: str, gold: dict) -> str:
    """The article body between the annotated first and last sentences."""
    first, last = gold["main_text_first_sentence"], gold["main_text_last_sentence"]
    start = raw.find(first)
    end = raw.find(last, max(start, 0))
    return raw[max(start, 0): end + len(last) if end >= 0 else len(raw)]


def score_article(text: str, gold: dict) -> Tally:
    """Compare one article's analysis with its annotation."""
    analysis = analyze_article(text)
    tally = Tally()
    predicted = {(m.name.casefold(), m.type) for m in analysis.mentions}
    expected = {(e["name"].casefold(), e["type"]) for e in gold["entities"]}
    tally.entity.update(tp=len(predicted & expected), fp=len(predicted - expected), fn=len(expected - predicted))

    claims = list(analysis.claims)
    pairs = _pair_claims(gold["claims"], claims)
    tally.speaker.update(pred=len(claims), gold=len(gold["claims"]))
    tally.speaker["tp"] += sum(_same(g["speaker"], p.speaker) for g, p in pairs)
    tally.attributes["pairs"] += len(pairs)
    for g, p in pairs:
        tally.attributes["polarity_ok"] += g["polarity"] == p.polarity
        tally.attributes["certainty_ok"] += g["certainty"] == p.certainty
        tally.attributes["cited_source_ok"] += _same_text(g["cited_source"], p.cited_source)
        tally.attributes["quote_ok"] += _same_text(g["quote"], p.quote)
        gold_values = Counter(float(q["value"]) for q in g["quantities"])
        tally.quantity["tp"] += sum((gold_values & Counter(q.value for q in p.quantities)).values())
    tally.quantity["pred"] += sum(len(p.quantities) for p in claims)
    tally.quantity["gold"] += sum(len(g["quantities"]) for g in gold["claims"])
    return tally


def _pair_claims(gold_claims: list[dict], claims: list[Claim]) -> list[tuple[dict, Claim]]:
    """Meet gold and predicted claims sharing an evidence sentence: same speaker first,
    then whatever is left in that sentence."""
    pairs: list[tuple[dict, Claim]] = []
    free = list(claims)
    waiting = list(gold_claims)
    for same_speaker in (True, False):
        for g in list(waiting):
            options = [p for p in free if _overlap(g["evidence"], p.sentence) >= 0.6
                       and (not same_speaker or _same(g["speaker"], p.speaker))]
            if options:
                best = max(options, key=lambda p: _overlap(g["evidence"], p.sentence))
                pairs.append((g, best))
                free.remove(best)
                waiting.remove(g)
    return pairs


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.casefold()))


def _overlap(a: str, b: str) -> float:
    wa, wb = _words(a), _words(b)
    return len(wa & wb) / max(1, len(wa | wb))


def _same(a: str | None, b: str | None) -> bool:
    return (a or "").casefold() == (b or "").casefold()


def _same_text(a: str | None, b: str | None) -> bool:
    def norm(s: str | None) -> str:
        s = re.sub(r"\s+", " ", s or "").strip(" \"“”'.,;:").casefold()
        return re.sub(r"^(?:the|a|an)\s+", "", s)

    return norm(a) == norm(b)


def _ratio(num: float, den: float) -> float:
    return num / den if den else 1.0


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def evaluate(gold_path: Path = DEFAULT_GOLD, seeds_dir: Path = DEFAULT_SEEDS) -> dict[str, dict[str, float]]:
    """Scores per seed file and ``overall``."""
    gold = json.loads(Path(gold_path).read_text(encoding="utf-8"))
    total = Tally()
    results: dict[str, dict[str, float]] = {}
    for name, annotation in sorted(gold.items()):
        raw = (Path(seeds_dir) / name).read_text(encoding="utf-8")
        tally = score_article(main_text(raw, annotation), annotation)
        total.add(tally)
        results[name] = tally.scores()
    results["overall"] = total.scores()
    return results


_COLUMNS = ("entity_p", "entity_r", "entity_f1", "speaker_p", "speaker_r", "speaker_f1",
            "polarity_acc", "certainty_acc", "cited_source_acc", "quote_acc", "quantity_p", "quantity_r")


def _print(results: dict[str, dict[str, float]]) -> None:
    headers = ("seed", "ent P", "ent R", "ent F1", "spk P", "spk R", "spk F1",
               "polar", "certn", "cited", "quote", "qty P", "qty R")
    print("  ".join(f"{h:>7}" if i else f"{h:<26}" for i, h in enumerate(headers)))
    for name, scores in results.items():
        print("  ".join([f"{name:<26}", *(f"{scores[c]:>7.3f}" for c in _COLUMNS)]))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    parser.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS)
    args = parser.parse_args(argv)
    _print(evaluate(args.gold, args.seeds))


if __name__ == "__main__":
    main()
