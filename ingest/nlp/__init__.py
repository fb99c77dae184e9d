"""NLP stage: sentences, entity mentions and attributed claims of one article.

Pure Python and regular expressions, tuned for English news about North Korea–Russia
military cooperation; the alias table in ``data/actors.csv`` carries the domain
knowledge and doubles as a dbt seed.
"""

from __future__ import annotations

from dataclasses import replace

from ingest.nlp.actors import ActorTable, load_actors
from ingest.nlp.claims import extract_claims
from ingest.nlp.entities import find_mentions
from ingest.nlp.sentences import Span, split_sentences
from ingest.records import ArticleAnalysis

__all__ = ["ActorTable", "Span", "analyze_article", "load_actors", "split_sentences"]


def analyze_article(text: str, actors: ActorTable | None = None) -> ArticleAnalysis:
    """Mentions and claims of one article's main text."""
    table = actors or load_actors()
    sentences = split_sentences(text)
    mentions = find_mentions(text, sentences, table)
    found = extract_claims(text, sentences, mentions)
    mentions = [replace(m, name=found.renamed[m.start]) if m.start in found.renamed else m for m in mentions]
    mentions = sorted(mentions + found.speaker_mentions, key=lambda m: m.start)
    return ArticleAnalysis(mentions=tuple(mentions), claims=tuple(found.claims))
