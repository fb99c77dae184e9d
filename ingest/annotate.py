"""Stage 3: entities, claims and topic relevance for every article not yet annotated.

An article is (re-)annotated when it has no annotation from this NLP version or was
re-extracted since; its old rows are replaced in the same transaction, so the NLP tables
never hold two versions of one article.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from ingest.faults import pause_point
from ingest.load import insert_rows
from ingest.nlp import analyze_article, split_sentences
from ingest.parallel import BatchMapper
from ingest.records import ArticleAnalysis
from ingest.topic import DEFAULT_TOPIC, TopicDefinition, is_on_topic, relevance_score
from ingest.warehouse import connect, keyed_batches

logger = logging.getLogger(__name__)

# Bump when entity or claim rules change in a way that should re-annotate every article.
NLP_VERSION = "2"


def annotation_version(topic: TopicDefinition) -> str:
    """The version stored with annotations: the NLP rules' and the topic's, so changing either re-annotates."""
    return f"{NLP_VERSION}+topic.{topic.fingerprint}"

NLP_TABLES = ("article_annotations", "entity_mentions", "claims", "claim_quantities")


@dataclass
class AnnotateReport:
    """What one annotation pass did."""

    articles: int = 0
    on_topic: int = 0
    mentions: int = 0
    claims: int = 0

    def as_metadata(self) -> dict[str, object]:
        return {
            "articles_annotated": self.articles,
            "on_topic": self.on_topic,
            "mentions": self.mentions,
            "claims": self.claims,
        }


def _analyze(article: tuple[str, str | None, str, datetime]) -> tuple[ArticleAnalysis, int]:
    """NLP on one pending article's text (a row of ``_PENDING``); runs in a worker process."""
    text = article[2]
    return analyze_article(text), len(split_sentences(text))


_PENDING = """
    SELECT a.article_id, a.title, a.text, a.extracted_at
    FROM raw.articles AS a
    ANTI JOIN raw.article_annotations AS n
      ON n.article_id = a.article_id AND n.nlp_version = $version AND n.analyzed_at >= a.extracted_at
    WHERE a.article_id > $after
    ORDER BY a.article_id
    LIMIT $size
"""


def _rows(
    article_id: str, title: str | None, text: str, analysis: ArticleAnalysis, sentences: int,
    topic: TopicDefinition, now: datetime,
) -> dict[str, list[dict[str, object]]]:
    key = {"article_id": article_id, "nlp_version": annotation_version(topic)}
    score = relevance_score(title, text, topic)
    rows: dict[str, list[dict[str, object]]] = {
        "article_annotations": [
            {**key, "relevance_score": score, "is_on_topic": is_on_topic(score, topic),
             "sentence_count": sentences, "analyzed_at": now}
        ],
        "entity_mentions": [
            {**key, "mention_index": index, "surface": m.surface, "name": m.name, "type": m.type,
             "sentence_index": m.sentence_index, "start_char": m.start, "end_char": m.end}
            for index, m in enumerate(analysis.mentions)
        ],
        "claims": [],
        "claim_quantities": [],
    }
    for index, claim in enumerate(analysis.claims):
        rows["claims"].append(
            {**key, "claim_index": index, "sentence_index": claim.sentence_index, "sentence": claim.sentence,
             "speaker": claim.speaker, "speaker_surface": claim.speaker_surface, "speaker_type": claim.speaker_type,
             "cue": claim.cue, "polarity": claim.polarity, "certainty": claim.certainty, "quote": claim.quote,
             "cited_source": claim.cited_source}
        )
        rows["claim_quantities"].extend(
            {**key, "claim_index": index, "quantity_index": q_index, "value": q.value, "unit": q.unit,
             "surface": q.surface}
            for q_index, q in enumerate(claim.quantities)
        )
    return rows


def annotate_pending(
    warehouse: Path,
    topic: TopicDefinition = DEFAULT_TOPIC,
    *,
    workers: int = 1,
    batch_size: int = 200,
) -> AnnotateReport:
    """Annotate every article that lacks a current annotation; return what happened."""
    report = AnnotateReport()
    pending = keyed_batches(warehouse, _PENDING, {"version": annotation_version(topic)}, batch_size)
    with BatchMapper(workers) as mapper:
        for articles, results in mapper.map_batches(_analyze, pending):
            now = datetime.now(timezone.utc)
            batch: dict[str, list[dict[str, object]]] = {table: [] for table in NLP_TABLES}
            for (article_id, title, text, _at), (analysis, sentences) in zip(articles, results):
                for table, rows in _rows(article_id, title, text, analysis, sentences, topic, now).items():
                    batch[table].extend(rows)
            ids = [row[0] for row in articles]
            with connect(warehouse) as con:
                con.begin()
                for table in NLP_TABLES:
                    con.execute(f"DELETE FROM raw.{table} WHERE article_id IN (SELECT unnest(?::VARCHAR[]))", [ids])
                    insert_rows(con, table, batch[table])
                pause_point("annotate")
                con.commit()
            report.articles += len(articles)
            report.on_topic += sum(row["is_on_topic"] for row in batch["article_annotations"])
            report.mentions += len(batch["entity_mentions"])
            report.claims += len(batch["claims"])
    logger.info("annotation done: %s", report.as_metadata())
    return report
