"""Precision and recall of the topic rule on a labelled set: ``python -m ingest.topic_eval``.

The labelled set (59 pages) has three parts, each labelled before the rule was scored on it:

- the embedded sample's extractable pages (``sample/pages/manifest.json``, field ``on_topic``):
  six on-topic seed and syndicated pages, four off-topic pages; the pipeline's own extractor
  reads them, as in a run;
- the 30 real news pages of ``tests/fixtures/extraction_gold`` (title and gold paragraphs), all
  off topic: read one by one, none is about North Korea–Russia military cooperation (one, a
  Russian missile strike on Kyiv, is a Russia-only hard negative);
- ``tests/fixtures/topic_eval/extra_pages.json``: 19 short news-style pages written for this
  evaluation, each labelled as it was written: 8 on topic (deployments, the treaty, missile
  debris, shipments, sanctions, a two-sentence denial) and 11 hard negatives (Russia-only war
  news, North Korea-only news, Korea–Japan sport, Russian tourists in North Korea).
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
from dataclasses import dataclass
from pathlib import Path

from ingest.extract import decode_html, extract_article
from ingest.topic import DEFAULT_TOPIC, TopicDefinition, is_on_topic, relevance_score

logger = logging.getLogger(__name__)

_ROOT = Path(__file__).resolve().parents[1]
SAMPLE_PAGES = _ROOT / "sample" / "pages"
EXTRACTION_GOLD = _ROOT / "tests" / "fixtures" / "extraction_gold"
EXTRA_PAGES = _ROOT / "tests" / "fixtures" / "topic_eval" / "extra_pages.json"


@dataclass(frozen=True)
class Labelled:
    """One page of the labelled set."""

    id: str
    part: str
    title: str | None
    text: str
    on_topic: bool


def _sample_pages() -> list[Labelled]:
    pages = []
    for entry in json.loads((SAMPLE_PAGES / "manifest.json").read_text(encoding="utf-8")):
        if entry["on_topic"] is None:
            continue
        html = decode_html((SAMPLE_PAGES / entry["file"]).read_bytes(), entry["content_type"])
        article = extract_article(html, entry["url"])
        pages.append(Labelled(entry["file"], "sample", article.title, article.text, entry["on_topic"]))
    return pages


def _gold_pages() -> list[Labelled]:
    records = json.loads((EXTRACTION_GOLD / "manifest.json").read_text(encoding="utf-8"))
    return [Labelled(r["id"], "extraction_gold", r["title"], "\n\n".join(r["paragraphs"]), False) for r in records]


def _extra_pages() -> list[Labelled]:
    records = json.loads(EXTRA_PAGES.read_text(encoding="utf-8"))
    return [Labelled(r["id"], f"extra:{r['kind']}", r["title"], r["text"], r["on_topic"]) for r in records]


def labelled_set() -> list[Labelled]:
    """Every labelled page: sample, extraction gold, extra pages."""
    return _sample_pages() + _gold_pages() + _extra_pages()


@dataclass(frozen=True)
class Scores:
    """Confusion counts and the pages the rule got wrong."""

    true_positives: int
    false_positives: int
    false_negatives: int
    true_negatives: int
    errors: tuple[tuple[str, bool, float], ...]  # (id, expected, score)

    @property
    def precision(self) -> float:
        return self.true_positives / max(self.true_positives + self.false_positives, 1)

    @property
    def recall(self) -> float:
        return self.true_positives / max(self.true_positives + self.false_negatives, 1)


def evaluate(pages: list[Labelled], topic: TopicDefinition = DEFAULT_TOPIC) -> Scores:
    """Score every page with the rule and compare with its label."""
    counts = {(True, True): 0, (False, True): 0, (True, False): 0, (False, False): 0}
    errors = []
    for page in pages:
        score = relevance_score(page.title, page.text, topic)
        predicted = is_on_topic(score, topic)
        counts[(page.on_topic, predicted)] += 1
        if predicted != page.on_topic:
            errors.append((page.id, page.on_topic, score))
    return Scores(counts[(True, True)], counts[(False, True)], counts[(True, False)], counts[(False, False)],
                  tuple(errors))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threshold", type=float, help="score threshold to evaluate (default: the topic's)")
    args = parser.parse_args(argv)
    topic = DEFAULT_TOPIC if args.threshold is None else TopicDefinition(threshold=args.threshold)
    pages = labelled_set()
    scores = evaluate(pages, topic)
    positives = sum(p.on_topic for p in pages)
    print(f"labelled pages: {len(pages)} ({positives} on topic, {len(pages) - positives} off topic); "
          f"threshold {topic.threshold}")
    print(f"precision {scores.precision:.3f}  recall {scores.recall:.3f}  "
          f"(tp {scores.true_positives}, fp {scores.false_positives}, fn {scores.false_negatives}, "
          f"tn {scores.true_negatives})")
    for page_id, expected, score in scores.errors:
        print(f"  {'missed' if expected else 'false alarm'}: {page_id} (score {score})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
