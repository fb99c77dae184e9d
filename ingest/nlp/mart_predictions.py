"""Predictions read back from the pipeline's own marts, and a sample warehouse to read them from.

Scoring the marts rather than a direct ``analyze_article`` call measures what an analyst
queries: extraction, the annotate stage and the dbt models all stand between the page and
the figure. The sample is built by the real CLI in a subprocess (``ingest`` never imports
Dagster), with its own Dagster home so it does not touch the user's instance.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import duckdb

from ingest.nlp.scoring import PredictedClaim, Prediction

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SAMPLE_SOURCES = PROJECT_ROOT / "sample" / "sources.yaml"


class BuildError(RuntimeError):
    """The pipeline run that should have built the sample warehouse failed."""


def build_sample_warehouse(folder: Path, sources: Path = SAMPLE_SOURCES) -> Path:
    """Run ``nkwatch run`` on the sample into ``folder``; return the warehouse path."""
    warehouse = folder / "nkwatch.duckdb"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NKWATCH_", "DAGSTER_"))}
    env["DAGSTER_HOME"] = str(folder / "dagster")
    (folder / "dagster").mkdir(parents=True, exist_ok=True)
    nkwatch = Path(sys.executable).with_name("nkwatch")
    done = subprocess.run(
        [str(nkwatch), "run", "--sources", str(sources), "--warehouse", str(warehouse)],
        capture_output=True, text=True, env=env, cwd=PROJECT_ROOT, timeout=900,
    )
    if done.returncode != 0:
        raise BuildError(f"nkwatch run failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    return warehouse


def predictions_by_url(warehouse: Path, urls: list[str]) -> dict[str, Prediction]:
    """Entities and claims of the articles at ``urls`` (canonical URLs), as the marts hold them."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        articles = dict(con.execute(
            "SELECT url, article_id FROM articles WHERE url IN (SELECT unnest(?::VARCHAR[]))", [urls]
        ).fetchall())
        ids = list(articles.values())
        entities: dict[str, set[str]] = defaultdict(set)
        for article_id, name in con.execute(
            """SELECT DISTINCT m.article_id, e.name FROM entity_mentions AS m JOIN entities AS e USING (entity_id)
               WHERE m.article_id IN (SELECT unnest(?::VARCHAR[]))""", [ids]
        ).fetchall():
            entities[article_id].add(name)
        quantities: dict[str, list[float]] = defaultdict(list)
        for claim_id, value in con.execute(
            """SELECT q.claim_id, q.value FROM claim_quantities AS q JOIN claims AS c USING (claim_id)
               WHERE c.article_id IN (SELECT unnest(?::VARCHAR[]))""", [ids]
        ).fetchall():
            quantities[claim_id].append(value)
        claims: dict[str, list[PredictedClaim]] = defaultdict(list)
        for claim_id, article_id, sentence, speaker, polarity, certainty, quote, cited in con.execute(
            """SELECT claim_id, article_id, sentence, speaker, polarity, certainty, quote, cited_source
               FROM claims WHERE article_id IN (SELECT unnest(?::VARCHAR[])) ORDER BY article_id, sentence_index""",
            [ids],
        ).fetchall():
            claims[article_id].append(PredictedClaim(sentence, speaker, polarity, certainty, quote, cited,
                                                     tuple(quantities[claim_id])))
    finally:
        con.close()
    return {url: Prediction(frozenset(entities[aid]), tuple(claims[aid])) for url, aid in articles.items()}
