"""Fuzzing the input edges: random and truncated HTML through extraction, random and cut WARC bytes
through discovery. Bad input must become a recorded reason, never an exception that stops a run.
Bounded (fixed seed, a few hundred cases, well under a minute)."""

from __future__ import annotations

import gzip
import io
import random
import time
from pathlib import Path

from ingest.discover.warc import read_warc
from ingest.extract import ExtractOptions, NotAnArticle
from ingest.fetch import FetchOptions
from ingest.parse import _extract_one
from ingest.records import ArchiveTally, Candidate, ExtractedArticle, FetchFailure
from tests.conftest import PROJECT_ROOT

SAMPLE_PAGES = sorted((PROJECT_ROOT / "sample" / "pages").glob("*.html"))
SAMPLE_WARC = PROJECT_ROOT / "sample" / "nkwatch_sample.warc.gz"
TAGS = [b"<html>", b"<body>", b"<p>", b"</p>", b"<div", b"<script>", b"<!--", b"<meta charset=", b"<title>",
        b"\x00", b"\xff\xfe", b"&#x", b"<article>", b"]]>", b"<?xml", b"\xe2\x80"]


def _mutations(rng: random.Random) -> list[bytes]:
    pages = [p.read_bytes() for p in SAMPLE_PAGES]
    cases = [b"", b" ", b"<html></html>", b"\x00" * 100, "Новости без даты".encode("utf-8"),
             "<html lang='ko'><p>북한 러시아 파병</p></html>".encode("utf-8")]
    for _ in range(60):
        page = rng.choice(pages)
        cases.append(page[: rng.randrange(len(page))])  # truncated anywhere
    for _ in range(60):
        cases.append(b"".join(rng.choice(TAGS) + rng.randbytes(rng.randrange(40)) for _ in range(rng.randrange(80))))
    for _ in range(30):
        page = bytearray(rng.choice(pages))
        for _ in range(20):
            page[rng.randrange(len(page))] = rng.randrange(256)
        cases.append(bytes(page))
    return cases


def test_random_and_truncated_html_becomes_an_article_or_a_reason() -> None:
    rng = random.Random(6)
    started = time.monotonic()
    for body in _mutations(rng):
        result = _extract_one(("https://example.org/a", "text/html", body, None), options=ExtractOptions())
        assert isinstance(result, (ExtractedArticle, NotAnArticle))
        if isinstance(result, NotAnArticle):
            assert str(result)  # a reason is recorded
    assert time.monotonic() - started < 120


def _read(data: bytes) -> list[object]:
    return list(read_warc(io.BufferedReader(io.BytesIO(data)), "fuzz.warc.gz", "fuzz", FetchOptions()))


def test_cut_and_damaged_warcs_yield_what_they_can_and_one_reason() -> None:
    rng = random.Random(6)
    data = SAMPLE_WARC.read_bytes()
    plain = gzip.decompress(data)
    whole = _read(data)
    whole_pages = sum(isinstance(i, Candidate) for i in whole)
    cases = [data[: rng.randrange(1, len(data))] for _ in range(40)]
    cases += [plain[: rng.randrange(1, len(plain))] for _ in range(30)]
    cases += [rng.randbytes(rng.randrange(1, 4000)) for _ in range(20)]
    cases += [b"\x1f\x8b" + rng.randbytes(200), b"WARC/1.0\r\n" + rng.randbytes(300), b""]
    for blob in cases:
        items = _read(blob)  # never raises
        assert all(isinstance(i, (Candidate, FetchFailure, ArchiveTally)) for i in items)
        pages = sum(isinstance(i, Candidate) for i in items)
        assert pages <= whole_pages
        discover_failures = [i for i in items if isinstance(i, FetchFailure) and i.stage == "discover"]
        assert len(discover_failures) <= 1
        if discover_failures:
            assert discover_failures[0].reason.split(":")[0] in {"corrupt_warc", "unparseable"}, discover_failures[0]
    cut = data[: len(data) * 2 // 3]
    items = _read(cut)
    assert [i.reason.split(":")[0] for i in items if isinstance(i, FetchFailure) and i.stage == "discover"] == [
        "corrupt_warc"]
    assert 0 < sum(isinstance(i, Candidate) for i in items) < whole_pages
