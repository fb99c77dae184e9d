"""The three ingest stages on their own, on a small WARC: land, parse, annotate; each resumable."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from ingest.annotate import annotate_pending
from ingest.config import load_sources
from ingest.land import land_sources
from ingest.parse import parse_pending
from ingest.warehouse import raw_row_counts

PAGES = Path(__file__).resolve().parents[2] / "sample" / "pages"


def _record(writer: WARCWriter, url: str, body: bytes, status: str = "200 OK", ctype: str = "text/html") -> None:
    headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
    writer.write_record(
        writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers,
                                  warc_headers_dict={"WARC-Date": "2024-10-11T06:00:00Z"})
    )


@pytest.fixture()
def sources(tmp_path: Path) -> Path:
    with (tmp_path / "small.warc.gz").open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        _record(writer, "https://www.themoscowtimes.com/2024/10/10/a", (PAGES / "seed000_themoscowtimes.html").read_bytes())
        _record(writer, "https://www.rnz.co.nz/news/b", (PAGES / "offtopic_rnz_ocr.html").read_bytes())
        _record(writer, "https://example.com/empty", b"<html><body><nav>Home</nav></body></html>")
        _record(writer, "https://example.com/gone", b"not here", status="404 Not Found")
    path = tmp_path / "sources.yaml"
    # The keyword pre-filter is off: this test follows off-topic pages through every stage.
    path.write_text("sources:\n  - {name: small, kind: warc, path: small.warc.gz, prefilter: false}\n")
    return path


def test_stages_land_parse_annotate_and_resume(tmp_path: Path, sources: Path) -> None:
    config = load_sources(sources)
    warehouse = tmp_path / "w.duckdb"

    landed = land_sources(config, warehouse, config.fetch_options())
    assert landed.pages == 3
    assert sum(landed.failures.values()) == 1
    again = land_sources(config, warehouse, config.fetch_options())
    assert again.pages == 0

    parsed = parse_pending(warehouse)
    assert (parsed.pages, parsed.articles) == (3, 2)
    assert sum(parsed.rejected.values()) == 1
    assert parse_pending(warehouse).pages == 0

    annotated = annotate_pending(warehouse)
    assert (annotated.articles, annotated.on_topic) == (2, 1)
    assert annotated.claims >= 1 and annotated.mentions >= 5
    assert annotate_pending(warehouse).articles == 0

    counts = raw_row_counts(warehouse, ["pages", "extractions", "articles", "article_annotations", "fetch_attempts"])
    assert counts == {"pages": 3, "extractions": 3, "articles": 2, "article_annotations": 2,
                      "fetch_attempts": 4}


def test_parallel_workers_give_the_same_articles(tmp_path: Path, sources: Path) -> None:
    config = load_sources(sources)
    serial, parallel = tmp_path / "serial.duckdb", tmp_path / "parallel.duckdb"
    # One page per batch in the parallel variant: batches are read after the last one's key.
    for warehouse, workers, batch_size in ((serial, 1, 200), (parallel, 2, 1)):
        land_sources(config, warehouse, config.fetch_options())
        assert parse_pending(warehouse, workers=workers, batch_size=batch_size).pages == 3
        annotate_pending(warehouse, workers=workers, batch_size=batch_size)
    import duckdb

    def snapshot(path: Path) -> list[tuple]:
        con = duckdb.connect(str(path), read_only=True)
        try:
            return con.execute(
                "SELECT a.url, a.title, a.text, n.is_on_topic, (SELECT count(*) FROM raw.claims c "
                "WHERE c.article_id = a.article_id) FROM raw.articles a JOIN raw.article_annotations n "
                "USING (article_id) ORDER BY a.url"
            ).fetchall()
        finally:
            con.close()

    assert snapshot(serial) == snapshot(parallel)
