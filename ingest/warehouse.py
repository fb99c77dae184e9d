"""The raw schema of the DuckDB warehouse and short-lived connections to it.

DuckDB lets one process write a file at a time and a reader cannot open it while a writer
holds it, so every stage opens the file, writes one batch in one transaction and closes it,
holding the cross-process warehouse lock (``ingest.lock``) meanwhile.
Primary keys make every insert idempotent: a re-run or a re-fetch never adds a row twice.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from ingest.lock import warehouse_lock

logger = logging.getLogger(__name__)

RAW_SCHEMA = "raw"

# One statement per raw table. Keys are what makes a row "the same row" on a re-run.
RAW_TABLES: dict[str, str] = {
    "discovered_urls": """
        source_name VARCHAR NOT NULL,
        url_id VARCHAR NOT NULL,
        url VARCHAR NOT NULL,
        discovered_at TIMESTAMPTZ NOT NULL,
        hint_title VARCHAR,
        hint_published TIMESTAMPTZ,
        PRIMARY KEY (source_name, url_id)
    """,
    "fetch_attempts": """
        attempt_id VARCHAR PRIMARY KEY,
        source_name VARCHAR NOT NULL,
        url VARCHAR NOT NULL,
        final_url VARCHAR,
        stage VARCHAR NOT NULL,
        outcome VARCHAR NOT NULL,
        reason VARCHAR,
        http_status INTEGER,
        content_type VARCHAR,
        body_bytes BIGINT,
        attempted_at TIMESTAMPTZ NOT NULL
    """,
    "pages": """
        page_id VARCHAR PRIMARY KEY,
        source_name VARCHAR NOT NULL,
        url VARCHAR NOT NULL,
        final_url VARCHAR NOT NULL,
        fetched_at TIMESTAMPTZ NOT NULL,
        http_status INTEGER NOT NULL,
        content_type VARCHAR,
        charset VARCHAR,
        body BLOB NOT NULL
    """,
    "pages_seen": """
        source_name VARCHAR NOT NULL,
        archive VARCHAR NOT NULL,
        day DATE NOT NULL,
        records_seen BIGINT NOT NULL,
        records_prefiltered BIGINT NOT NULL,
        complete BOOLEAN NOT NULL,
        counted_at TIMESTAMPTZ NOT NULL,
        PRIMARY KEY (source_name, archive, day)
    """,
    "archive_files": """
        source_name VARCHAR NOT NULL,
        archive VARCHAR NOT NULL,
        size_bytes BIGINT NOT NULL,
        mtime_ns BIGINT NOT NULL,
        read_at TIMESTAMPTZ NOT NULL,
        PRIMARY KEY (source_name, archive)
    """,
    "feed_state": """
        url VARCHAR PRIMARY KEY,
        etag VARCHAR,
        last_modified VARCHAR,
        updated_at TIMESTAMPTZ NOT NULL
    """,
    "extractions": """
        page_id VARCHAR NOT NULL,
        extractor_version VARCHAR NOT NULL,
        outcome VARCHAR NOT NULL,
        reason VARCHAR,
        article_id VARCHAR,
        extracted_at TIMESTAMPTZ NOT NULL,
        PRIMARY KEY (page_id, extractor_version)
    """,
    "articles": """
        article_id VARCHAR PRIMARY KEY,
        page_id VARCHAR NOT NULL,
        source_name VARCHAR NOT NULL,
        url VARCHAR NOT NULL,
        fetched_url VARCHAR NOT NULL,
        outlet VARCHAR NOT NULL,
        site_name VARCHAR,
        title VARCHAR,
        authors VARCHAR[],
        published_at TIMESTAMPTZ,
        published_date DATE,
        language VARCHAR,
        page_kind VARCHAR,
        text VARCHAR NOT NULL,
        content_hash VARCHAR NOT NULL,
        fetched_at TIMESTAMPTZ NOT NULL,
        extracted_at TIMESTAMPTZ NOT NULL
    """,
    "article_annotations": """
        article_id VARCHAR NOT NULL,
        nlp_version VARCHAR NOT NULL,
        relevance_score DOUBLE NOT NULL,
        is_on_topic BOOLEAN NOT NULL,
        sentence_count INTEGER NOT NULL,
        analyzed_at TIMESTAMPTZ NOT NULL,
        PRIMARY KEY (article_id, nlp_version)
    """,
    "entity_mentions": """
        article_id VARCHAR NOT NULL,
        nlp_version VARCHAR NOT NULL,
        mention_index INTEGER NOT NULL,
        surface VARCHAR NOT NULL,
        name VARCHAR NOT NULL,
        type VARCHAR NOT NULL,
        sentence_index INTEGER NOT NULL,
        start_char INTEGER NOT NULL,
        end_char INTEGER NOT NULL,
        PRIMARY KEY (article_id, nlp_version, mention_index)
    """,
    "claims": """
        article_id VARCHAR NOT NULL,
        nlp_version VARCHAR NOT NULL,
        claim_index INTEGER NOT NULL,
        sentence_index INTEGER NOT NULL,
        sentence VARCHAR NOT NULL,
        speaker VARCHAR,
        speaker_surface VARCHAR,
        speaker_type VARCHAR,
        cue VARCHAR NOT NULL,
        polarity VARCHAR NOT NULL,
        certainty VARCHAR NOT NULL,
        quote VARCHAR,
        cited_source VARCHAR,
        PRIMARY KEY (article_id, nlp_version, claim_index)
    """,
    "claim_quantities": """
        article_id VARCHAR NOT NULL,
        nlp_version VARCHAR NOT NULL,
        claim_index INTEGER NOT NULL,
        quantity_index INTEGER NOT NULL,
        value DOUBLE NOT NULL,
        unit VARCHAR NOT NULL,
        surface VARCHAR NOT NULL,
        PRIMARY KEY (article_id, nlp_version, claim_index, quantity_index)
    """,
    # ingest.similarity: one MinHash per article text or claim proposition (kind), and the
    # near-duplicate pairs found among them (item_id < linked_item_id).
    "similarity_signatures": """
        kind VARCHAR NOT NULL,
        item_id VARCHAR NOT NULL,
        fingerprint VARCHAR NOT NULL,
        shingle_count INTEGER NOT NULL,
        minhash BLOB NOT NULL,
        signed_at TIMESTAMPTZ NOT NULL,
        PRIMARY KEY (kind, item_id)
    """,
    "similarity_links": """
        kind VARCHAR NOT NULL,
        item_id VARCHAR NOT NULL,
        linked_item_id VARCHAR NOT NULL,
        jaccard DOUBLE NOT NULL,
        containment DOUBLE NOT NULL,
        linked_at TIMESTAMPTZ NOT NULL,
        PRIMARY KEY (kind, item_id, linked_item_id)
    """,
}


def ensure_raw_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the raw schema and its tables if they are missing (safe to call every run).

    A warehouse made by an older version gets the columns added since, as nullable columns,
    so upgrading never needs a manual step or a rebuild.
    """
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {RAW_SCHEMA}")
    existing = _existing_columns(con)
    for table, columns in RAW_TABLES.items():
        if table not in existing:
            con.execute(f"CREATE TABLE IF NOT EXISTS {RAW_SCHEMA}.{table} ({columns})")
            continue
        for name, column_type in _column_types(columns):
            if name not in existing[table]:
                con.execute(f"ALTER TABLE {RAW_SCHEMA}.{table} ADD COLUMN {name} {column_type}")


def _existing_columns(con: duckdb.DuckDBPyConnection) -> dict[str, set[str]]:
    """Columns of each raw table that exists.

    Asked of each table by name: a catalog-wide listing (``information_schema``) binds every
    dbt view in the file first, which costs ~35 ms on each connection instead of ~8 ms.
    """
    columns: dict[str, set[str]] = {}
    for table in RAW_TABLES:
        try:
            described = con.execute(f"SELECT * FROM {RAW_SCHEMA}.{table} LIMIT 0").description
        except duckdb.CatalogException:
            continue
        columns[table] = {column[0] for column in described}
    return columns


def _column_types(columns: str) -> list[tuple[str, str]]:
    """(name, type) of each column in a RAW_TABLES definition, constraints left out."""
    pairs = []
    for line in columns.strip().splitlines():
        words = line.strip().rstrip(",").split()
        if len(words) >= 2 and words[0] != "PRIMARY":
            pairs.append((words[0], words[1]))
    return pairs


@contextmanager
def connect(path: str | Path, *, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the warehouse for one short unit of work and always close it.

    A writer also makes sure the raw schema exists, so every stage can run first.
    """
    path = Path(path)
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    with warehouse_lock(path):
        con = _open(path, read_only)
        try:
            if not read_only:
                ensure_raw_schema(con)
            yield con
        finally:
            con.close()


def keyed_batches(path: str | Path, sql: str, params: dict[str, object], size: int) -> Iterator[list[tuple]]:
    """The rows of ``sql`` in batches of ``size``, in the order of their first column, the key.

    ``sql`` keeps rows whose key is ``> $after``, orders by the key and ends ``LIMIT $size``.
    Each batch is read on a connection of its own, after the last key of the one before: the
    caller may write between batches, and drawing a batch ahead never depends on those writes.
    """
    after = ""
    while True:
        with connect(path) as con:
            rows = con.execute(sql, {**params, "after": after, "size": size}).fetchall()
        if not rows:
            return
        yield rows
        after = rows[-1][0]


def _open(path: Path, read_only: bool, give_up_after: float = 12.8) -> duckdb.DuckDBPyConnection:
    """Open the file, retrying with backoff while a process outside our lock holds it (an analyst's shell)."""
    delay = 0.1
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException as exc:
            if "Could not set lock" not in str(exc) or delay > give_up_after:
                raise
            logger.info("warehouse busy (%s); retrying in %.1f s", exc, delay)
            time.sleep(delay)
            delay *= 2


def raw_row_counts(path: str | Path, tables: list[str]) -> dict[str, int]:
    """Row counts of some raw tables, for asset metadata."""
    with connect(path) as con:
        return {t: con.execute(f"SELECT count(*) FROM {RAW_SCHEMA}.{t}").fetchall()[0][0] for t in tables}
