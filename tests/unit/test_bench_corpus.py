"""The benchmark's corpus builder: deterministic, every record a distinct article, shares as asked."""

from __future__ import annotations

from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from bench.corpus import CorpusSpec, build_corpus, kind_counts, record_kind, templates

SPEC = CorpusSpec(records=50, on_topic_share=0.3, near_miss_share=0.1, seed=11)


def _responses(path: Path) -> list[tuple[str, bytes]]:
    with path.open("rb") as handle:
        return [(r.rec_headers.get_header("WARC-Target-URI"), r.content_stream().read())
                for r in ArchiveIterator(handle) if r.rec_type == "response"]


def test_same_parameters_build_the_same_bytes(tmp_path: Path) -> None:
    first, second = build_corpus(SPEC, tmp_path / "a"), build_corpus(SPEC, tmp_path / "b")
    assert first.main.read_bytes() == second.main.read_bytes()
    assert first.increment.read_bytes() == second.increment.read_bytes()
    assert build_corpus(CorpusSpec(50, 0.3, 0.1, seed=12), tmp_path / "c").main.read_bytes() != first.main.read_bytes()


def test_records_are_distinct_articles_in_the_asked_shares(tmp_path: Path) -> None:
    corpus = build_corpus(SPEC, tmp_path)
    records = _responses(corpus.main)
    urls = [url for url, _ in records]
    assert len(records) == SPEC.records and len(set(urls)) == SPEC.records
    assert corpus.kinds == kind_counts(SPEC, 0, SPEC.records)
    on_topic = [body for index, (url, body) in enumerate(records) if record_kind(SPEC, index) == "on"]
    assert len(on_topic) == corpus.kinds["on"] > 5
    assert all(url.encode() in body for url, body in records if b"<link rel=\"canonical\"" in body)
    originals = {t.body for t in templates()["on"]}
    assert not originals & set(on_topic)  # paragraphs shuffled, numbers swapped
    increment_urls = {url for url, _ in _responses(corpus.increment)}
    assert len(increment_urls) == SPEC.increment_records and not increment_urls & set(urls)
