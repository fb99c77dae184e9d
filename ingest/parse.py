"""Stage 2: turn landed pages into articles (main text and metadata), in bulk.

Only pages this extractor version has not seen are read, so a re-run costs what is new.
Every page gets one row in ``raw.extractions`` (ok or the reason it is not an article),
which is what makes the stage resumable after a crash.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from ingest.extract import ExtractOptions, NotAnArticle, decode_html, extract_article
from ingest.faults import pause_point
from ingest.load import insert_rows
from ingest.parallel import BatchMapper
from ingest.records import ExtractedArticle
from ingest.urls import url_id
from ingest.warehouse import connect, keyed_batches

logger = logging.getLogger(__name__)

# Bump when extraction changes in a way that should re-extract every landed page.
EXTRACTOR_VERSION = "1"

_WHITESPACE = re.compile(r"\s+")


@dataclass
class ParseReport:
    """What one extraction pass did."""

    pages: int = 0
    articles: int = 0
    rejected: Counter[str] = field(default_factory=Counter)

    def as_metadata(self) -> dict[str, object]:
        return {
            "pages_read": self.pages,
            "articles": self.articles,
            "not_articles": sum(self.rejected.values()),
            "not_articles_by_reason": dict(self.rejected),
        }


def content_hash(text: str) -> str:
    """Hash of the text with case and spacing folded: equal for verbatim copies of a story."""
    return hashlib.sha256(_WHITESPACE.sub(" ", text).strip().lower().encode("utf-8")).hexdigest()


def _extract_pending(page: tuple, *, options: ExtractOptions) -> ExtractedArticle | NotAnArticle:
    """Extract one row of ``_PENDING``; runs in a worker process."""
    return _extract_one(page[3:7], options=options)


def _extract_one(
    page: tuple[str, str, bytes, str | None], *, options: ExtractOptions
) -> ExtractedArticle | NotAnArticle:
    """Extract one page (final URL, content type, body, charset)."""
    final_url, content_type, body, charset = page
    try:
        header = f"{content_type}; charset={charset}" if charset and "charset" not in (content_type or "") else content_type
        return extract_article(decode_html(body, header), final_url, options)
    except NotAnArticle as exc:
        return exc
    except Exception as exc:  # a broken page must never stop the run
        logger.warning("extraction crashed on %s: %r", final_url, exc)
        return NotAnArticle(f"unparseable: {type(exc).__name__}: {exc}")


_PENDING = """
    SELECT p.page_id, p.source_name, p.url, p.final_url, p.content_type, p.body, p.charset, p.fetched_at
    FROM raw.pages AS p
    ANTI JOIN raw.extractions AS e ON e.page_id = p.page_id AND e.extractor_version = $version
    WHERE p.page_id > $after
    ORDER BY p.page_id
    LIMIT $size
"""


def _rows_for(page: tuple, result: ExtractedArticle | NotAnArticle, now: datetime) -> tuple[dict, dict | None]:
    page_id, source_name, _url, final_url, _ctype, _body, _charset, fetched_at = page
    if isinstance(result, NotAnArticle):
        extraction = {
            "page_id": page_id,
            "extractor_version": EXTRACTOR_VERSION,
            "outcome": "failed",
            "reason": str(result),
            "article_id": None,
            "extracted_at": now,
        }
        return extraction, None
    article_id = url_id(result.url)
    article = {
        "article_id": article_id,
        "page_id": page_id,
        "source_name": source_name,
        "url": result.url,
        "fetched_url": final_url,
        "outlet": result.outlet,
        "site_name": result.site_name,
        "title": result.title,
        "authors": list(result.authors),
        "published_at": result.published_at,
        "published_date": result.published_date,
        "language": result.language,
        "page_kind": result.page_kind,
        "text": result.text,
        "content_hash": content_hash(result.text),
        "fetched_at": fetched_at,
        "extracted_at": now,
    }
    extraction = {
        "page_id": page_id,
        "extractor_version": EXTRACTOR_VERSION,
        "outcome": "ok",
        "reason": None,
        "article_id": article_id,
        "extracted_at": now,
    }
    return extraction, article


def parse_pending(
    warehouse: Path,
    options: ExtractOptions | None = None,
    *,
    workers: int = 1,
    batch_size: int = 200,
) -> ParseReport:
    """Extract every landed page not yet extracted by this version; return what happened."""
    options = options or ExtractOptions()
    report = ParseReport()
    pending = keyed_batches(warehouse, _PENDING, {"version": EXTRACTOR_VERSION}, batch_size)
    with BatchMapper(workers) as mapper:
        for pages, results in mapper.map_batches(_extract_pending, pending, options=options):
            now = datetime.now(timezone.utc)
            extractions, articles = [], []
            for page, result in zip(pages, results):
                extraction, article = _rows_for(page, result, now)
                extractions.append(extraction)
                if article is not None:
                    articles.append(article)
                else:
                    report.rejected[extraction["reason"].split(":", 1)[0]] += 1
            with connect(warehouse) as con:
                con.begin()
                insert_rows(con, "articles", articles, replace=True)
                insert_rows(con, "extractions", extractions)
                pause_point("extract")
                con.commit()
            report.pages += len(pages)
            report.articles += len(articles)
    logger.info("extraction done: %s", report.as_metadata())
    return report
