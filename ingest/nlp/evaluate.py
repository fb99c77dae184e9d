"""Score entities and claims against hand annotations: the pipeline's marts, or the NLP stage alone.

``python -m ingest.nlp.evaluate --marts [--warehouse FILE]`` builds the embedded sample
through the real pipeline into a temporary warehouse (or reads ``FILE``), matches each seed
to its article by sample URL and scores the ``entities``/``entity_mentions``, ``claims``
and ``claim_quantities`` marts. Without ``--marts`` it runs ``analyze_article`` on each
seed's main text; ``--heldout`` scores the held-out development passages instead of the
seeds. Printed per article and overall: entity and claim P/R/F1, then polarity,
certainty, cited-source and quote accuracy on matched claims, and quantity P/R.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from ingest.nlp import analyze_article
from ingest.nlp.mart_predictions import build_sample_warehouse, predictions_by_url
from ingest.nlp.scoring import TARGETS, Prediction, Tally, from_analysis, score

FIXTURES = Path(__file__).resolve().parents[2] / "tests" / "fixtures"
DEFAULT_GOLD = FIXTURES / "seed_gold.json"
DEFAULT_SEEDS = FIXTURES / "seeds"
SAMPLE_GOLD = FIXTURES / "sample_gold.json"
HELDOUT = FIXTURES / "nlp_heldout.json"

Scores = dict[str, dict[str, float]]


def _annotations(path: Path) -> dict[str, dict]:
    """Annotated articles of a gold file, without its ``_``-prefixed notes."""
    gold = json.loads(Path(path).read_text(encoding="utf-8"))
    return {key: value for key, value in sorted(gold.items()) if not key.startswith("_")}


def _tabulate(pairs: list[tuple[str, Prediction, dict]]) -> Scores:
    total = Tally()
    results: Scores = {}
    for name, prediction, gold in pairs:
        tally = score(prediction, gold)
        total.add(tally)
        results[name] = tally.scores()
    results["overall"] = total.scores()
    return results


def main_text(raw: str, gold: dict) -> str:
    """The article body between the annotated first and last sentences."""
    first, last = gold["main_text_first_sentence"], gold["main_text_last_sentence"]
    start = raw.find(first)
    end = raw.find(last, max(start, 0))
    return raw[max(start, 0): end + len(last) if end >= 0 else len(raw)]


def evaluate(gold_path: Path = DEFAULT_GOLD, seeds_dir: Path = DEFAULT_SEEDS) -> Scores:
    """``analyze_article`` on each seed's main text, scored per seed and ``overall``."""
    pairs = []
    for name, gold in _annotations(gold_path).items():
        raw = (Path(seeds_dir) / name).read_text(encoding="utf-8")
        pairs.append((name, from_analysis(analyze_article(main_text(raw, gold))), gold))
    return _tabulate(pairs)


def evaluate_heldout(path: Path = HELDOUT) -> Scores:
    """``analyze_article`` on each held-out passage, scored per passage and ``overall``."""
    return _tabulate([(name, from_analysis(analyze_article(gold["text"])), gold)
                      for name, gold in _annotations(path).items()])


def evaluate_marts(warehouse: Path, gold_path: Path = DEFAULT_GOLD, sample_gold: Path = SAMPLE_GOLD) -> Scores:
    """The marts of ``warehouse`` scored against the seeds, each found by its sample URL.
    A seed missing from the warehouse scores as an article with nothing found."""
    urls = {name: entry["url"] for name, entry in _annotations(sample_gold).items() if entry}
    found = predictions_by_url(warehouse, list(urls.values()))
    nothing = Prediction(frozenset(), ())
    return _tabulate([(name, found.get(urls.get(name, ""), nothing), gold)
                      for name, gold in _annotations(gold_path).items()])


def evaluate_sample_marts(gold_path: Path = DEFAULT_GOLD) -> Scores:
    """Build the embedded sample through the pipeline into a temporary warehouse and score its marts."""
    with tempfile.TemporaryDirectory(prefix="nkwatch-eval-") as folder:
        return evaluate_marts(build_sample_warehouse(Path(folder)), gold_path)


_COLUMNS = {"entity_p": "ent P", "entity_r": "ent R", "entity_f1": "ent F1", "claim_p": "clm P",
            "claim_r": "clm R", "claim_f1": "clm F1", "polarity_acc": "polar", "certainty_acc": "certn",
            "cited_source_acc": "cited", "quote_acc": "quote", "quantity_p": "qty P", "quantity_r": "qty R"}


def report(title: str, results: Scores) -> str:
    """A table of the scores and one line comparing the overall figures with the targets."""
    lines = [title, "  ".join([f"{'article':<26}", *(f"{h:>6}" for h in _COLUMNS.values())])]
    for name, scores in results.items():
        lines.append("  ".join([f"{name:<26}", *(f"{scores[c]:>6.3f}" for c in _COLUMNS)]))
    overall = results["overall"]
    lines.append("targets: " + ", ".join(
        f"{_COLUMNS[key]} {overall[key]:.3f} {'>=' if overall[key] >= floor else '<'} {floor:.2f}"
        for key, floor in TARGETS.items()
    ))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--marts", action="store_true", help="score the pipeline's marts on the sample")
    parser.add_argument("--warehouse", type=Path, help="with --marts: read this warehouse instead of building one")
    parser.add_argument("--heldout", action="store_true", help="score the held-out passages (NLP stage alone)")
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    parser.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS)
    args = parser.parse_args(argv)
    if args.heldout:
        print(report(f"Held-out passages ({HELDOUT.name}, written by us; NLP stage alone)", evaluate_heldout()))
    elif args.marts:
        results = evaluate_marts(args.warehouse, args.gold) if args.warehouse else evaluate_sample_marts(args.gold)
        print(report("Seeds via the pipeline's marts (embedded sample)", results))
    else:
        print(report("Seeds via analyze_article on the annotated main text", evaluate(args.gold, args.seeds)))


if __name__ == "__main__":
    main()
