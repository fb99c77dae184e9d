"""Score the extractor against a gold set of real pages (``make eval-extraction``).

Usage: ``python -m ingest.extract.evaluate [--gold DIR] [--baseline] [--verbose] [--reject-live-blogs]``

Gold layout: ``DIR/manifest.json`` (records with url, html_file, title, authors,
publishing_date, paragraphs) and ``DIR/html/<html_file>`` (gzipped pages).

Metrics, per page, then the mean over pages (every page weighs the same):

- text normalisation: Unicode NFKC, typographic quotes/dashes folded to ASCII, case-folded,
  whitespace collapsed.
- body recall: share of expected paragraphs whose normalised text occurs in the normalised
  output text.
- body precision: share of output characters that belong to expected text. An output
  paragraph counts in full when it occurs inside the expected text; otherwise it is credited
  with the length of the expected paragraphs it contains (so a paragraph with a boilerplate
  tail still counts partly).
- title: exact match after NFKC and whitespace collapsing (case and punctuation count).
- date: same calendar day as the expected publication time, read in the expected offset
  when both sides carry one, otherwise as each side states it.
- authors: exact set match after NFKC, whitespace collapsing and case-folding (no authors
  expected equals none found).

A page our extractor rejects (NotAnArticle) scores 0 on every metric and is listed with its
reason. The baseline is plain ``trafilatura.bare_extraction(body, url, with_metadata=True)``
on the raw bytes.
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from pathlib import Path

import trafilatura

from ingest.extract import DEFAULT, ExtractOptions, NotAnArticle, decode_html, extract_article

DEFAULT_GOLD = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "extraction_gold"
_FOLD = str.maketrans({"‘": "'", "’": "'", "‚": "'", "“": '"', "”": '"', "„": '"', "«": '"', "»": '"',
                       "–": "-", "—": "-", "―": "-", "\u00ad": None})
METRICS = ("recall", "precision", "title", "date", "authors")


@dataclass(frozen=True)
class Output:
    """What an extractor produced for one page, in the shape the metrics need."""

    paragraphs: list[str]
    title: str | None
    when: datetime | date | None
    authors: list[str]
    rejected: str | None = None


def _squash(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split())


def normalise(text: str) -> str:
    return _squash(text).translate(_FOLD).casefold()


def body_recall(expected: list[str], paragraphs: list[str]) -> float:
    if not expected:
        return 1.0
    output = normalise(" ".join(paragraphs))
    return sum(normalise(p) in output for p in expected) / len(expected)


def body_precision(expected: list[str], paragraphs: list[str]) -> float:
    gold = [normalise(p) for p in expected]
    gold_text = " ".join(gold)
    total = credited = 0
    for paragraph in map(normalise, paragraphs):
        total += len(paragraph)
        if paragraph in gold_text:
            credited += len(paragraph)
        else:
            credited += min(len(paragraph), sum(len(g) for g in gold if g and g in paragraph))
    return credited / total if total else 0.0


def same_day(expected: str, found: datetime | date | None) -> bool:
    if found is None:
        return False
    gold = datetime.fromisoformat(expected)
    if isinstance(found, datetime):
        if found.tzinfo is not None and gold.tzinfo is not None:
            found = found.astimezone(gold.tzinfo)
        found = found.date()
    return found == gold.date()


def score(record: dict, out: Output) -> dict[str, float]:
    if out.rejected:
        return dict.fromkeys(METRICS, 0.0)
    expected_authors = {normalise(a) for a in record.get("authors") or []}
    return {
        "recall": body_recall(record["paragraphs"], out.paragraphs),
        "precision": body_precision(record["paragraphs"], out.paragraphs),
        "title": float(out.title is not None and _squash(out.title) == _squash(record["title"])),
        "date": float(same_day(record["publishing_date"], out.when)),
        "authors": float({normalise(a) for a in out.authors} == expected_authors),
    }


def run_ours(body: bytes, url: str, options: ExtractOptions = DEFAULT) -> Output:
    try:
        article = extract_article(decode_html(body, None), url, options)
    except NotAnArticle as exc:
        return Output([], None, None, [], rejected=exc.reason)
    return Output(article.text.split("\n\n"), article.title, article.published_at or article.published_date,
                  list(article.authors))


def run_baseline(body: bytes, url: str) -> Output:
    doc = trafilatura.bare_extraction(body, url=url, with_metadata=True)
    if doc is None:
        return Output([], None, None, [], rejected="no_output")
    found = date.fromisoformat(doc.date) if doc.date else None
    authors = [a.strip() for a in (doc.author or "").split(";") if a.strip()]
    return Output((doc.text or "").split("\n"), doc.title, found, authors)


def _explain(record: dict, out: Output, scores: dict[str, float]) -> None:
    if out.rejected:
        print(f"    rejected: {out.rejected}")
        return
    if not scores["title"]:
        print(f"    title   want {record['title']!r}\n            got  {out.title!r}")
    if not scores["date"]:
        print(f"    date    want {record['publishing_date']}  got {out.when}")
    if not scores["authors"]:
        print(f"    authors want {record.get('authors')}  got {out.authors}")
    output = normalise(" ".join(out.paragraphs))
    for missing in (p for p in record["paragraphs"] if normalise(p) not in output):
        print(f"    missing {missing[:110]!r}")
    gold_text = " ".join(normalise(p) for p in record["paragraphs"])
    for extra in (p for p in out.paragraphs if p and normalise(p) not in gold_text):
        print(f"    extra   {extra[:110]!r}")


def evaluate(gold_dir: Path, extractor: Callable[[bytes, str], Output], label: str, verbose: bool) -> dict[str, float]:
    records = json.loads((gold_dir / "manifest.json").read_text(encoding="utf-8"))
    print(f"\n== {label} ({len(records)} pages)")
    print(f"{'page':28} {'recall':>7} {'prec':>7} {'title':>6} {'date':>5} {'auth':>5}")
    totals = dict.fromkeys(METRICS, 0.0)
    accepted = dict.fromkeys(METRICS, 0.0)
    rejected = 0
    for record in records:
        body = gzip.decompress((gold_dir / "html" / record["html_file"]).read_bytes())
        out = extractor(body, record["url"])
        scores = score(record, out)
        rejected += bool(out.rejected)
        for key in METRICS:
            totals[key] += scores[key]
            accepted[key] += 0.0 if out.rejected else scores[key]
        print(f"{record['id'][:28]:28} {scores['recall']:7.2f} {scores['precision']:7.2f} "
              f"{int(scores['title']):6d} {int(scores['date']):5d} {int(scores['authors']):5d}"
              + (f"  rejected:{out.rejected}" if out.rejected else ""))
        if verbose:
            _explain(record, out, scores)
    overall = {key: value / len(records) for key, value in totals.items()}
    print(f"{'OVERALL':28} {overall['recall']:7.3f} {overall['precision']:7.3f} {overall['title']:6.3f} "
          f"{overall['date']:5.3f} {overall['authors']:5.3f}  rejected pages: {rejected}")
    if rejected and rejected < len(records):
        kept = {key: value / (len(records) - rejected) for key, value in accepted.items()}
        print(f"{'accepted pages only':28} " + " ".join(f"{kept[k]:{w}.3f}" for k, w in zip(METRICS, (7, 7, 6, 5, 5))))
    return overall


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD, help="gold directory (manifest.json + html/)")
    parser.add_argument("--baseline", action="store_true", help="also score plain trafilatura")
    parser.add_argument("--verbose", action="store_true", help="show every mismatch")
    parser.add_argument("--reject-live-blogs", action="store_true", help="score with live blogs rejected")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    options = ExtractOptions(reject_live_blogs=args.reject_live_blogs)
    ours = evaluate(args.gold, partial(run_ours, options=options), "nkwatch extractor", args.verbose)
    if args.baseline:
        base = evaluate(args.gold, run_baseline, "baseline: trafilatura.bare_extraction", args.verbose)
        print("\n== overall        " + " ".join(f"{k:>9}" for k in METRICS))
        print("nkwatch          " + " ".join(f"{ours[k]:9.3f}" for k in METRICS))
        print("trafilatura      " + " ".join(f"{base[k]:9.3f}" for k in METRICS))


if __name__ == "__main__":
    main()
