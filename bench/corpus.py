"""A synthetic CC-NEWS-like corpus for the benchmark, built from real pages.

Every record is a real page (the extraction gold pages and the sample's pages) under its own
URL, so every record is a distinct article. Three kinds, chosen per record by a seeded hash:
on-topic pages (the sample's seed and syndicated articles, paragraphs shuffled and numbers
swapped so copies are not verbatim duplicates), near misses (off-topic pages that name Korea,
so the keyword pre-filter lets them through and the topic rule must reject them), and the
off-topic rest. Records are gzip members with fixed headers: the same parameters give the
same bytes, and a built corpus is cached under its parameters.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import os
import random
import re
import uuid
import zlib
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from functools import cache
from pathlib import Path

from ingest.discover.prefilter import Prefilter
from ingest.parallel import process_pool

ROOT = Path(__file__).resolve().parents[1]
GOLD_DIR = ROOT / "tests" / "fixtures" / "extraction_gold"
SAMPLE_PAGES = ROOT / "sample" / "pages"
CACHE_DIR = Path(__file__).resolve().parent / ".cache"
# Bump when the records' bytes change, so cached corpora are rebuilt.
FORMAT_VERSION = "1"

_START = datetime(2024, 10, 1, tzinfo=timezone.utc)
_SPAN = timedelta(days=30)
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/nkwatch/bench")
_PARAGRAPH = re.compile(rb"<p\b[^>]*>(?:(?!</p>).){80,}?</p>", re.DOTALL)
_NUMBER = re.compile(rb"\b\d{1,3}(?:,\d{3})+\b|\b\d{1,3}\b")
_NUMBERS = (b"two", b"three", b"12", b"40", b"600", b"1,500", b"3,000", b"10,000", b"11,000", b"12,000")


@dataclass(frozen=True)
class CorpusSpec:
    """What a corpus holds; its ``key`` names the cache entry."""

    records: int = 30_000
    on_topic_share: float = 0.02
    near_miss_share: float = 0.01
    seed: int = 7

    @property
    def key(self) -> str:
        return (f"v{FORMAT_VERSION}-n{self.records}-on{self.on_topic_share:g}"
                f"-near{self.near_miss_share:g}-seed{self.seed}")

    @property
    def increment_records(self) -> int:
        """How many new records arrive later, in a new file: 1 % of the corpus."""
        return max(1, round(self.records / 100))


@dataclass(frozen=True)
class Template:
    """One real page a record is made from."""

    name: str
    url: str
    content_type: str
    status: int
    body: bytes


@cache
def templates() -> dict[str, tuple[Template, ...]]:
    """The real pages by kind: ``on`` (sample seeds, syndicated copy), ``near`` and ``off``."""
    prefilter = Prefilter()
    kinds: dict[str, list[Template]] = {"on": [], "near": [], "off": []}
    for entry in json.loads((SAMPLE_PAGES / "manifest.json").read_text(encoding="utf-8")):
        page = Template(entry["file"], entry["url"], entry["content_type"], int(entry["http_status"]),
                        (SAMPLE_PAGES / entry["file"]).read_bytes())
        on_topic = entry["kind"] in {"seed", "syndicated"}
        kinds["on" if on_topic else "near" if prefilter.may_match(page.body) else "off"].append(page)
    for entry in json.loads((GOLD_DIR / "manifest.json").read_text(encoding="utf-8")):
        with gzip.open(GOLD_DIR / "html" / entry["html_file"]) as handle:
            page = Template(entry["id"], entry["url"], "text/html; charset=utf-8", 200, handle.read())
        kinds["near" if prefilter.may_match(page.body) else "off"].append(page)
    return {kind: tuple(pages) for kind, pages in kinds.items()}


def record_kind(spec: CorpusSpec, index: int) -> str:
    """The kind of record ``index``: a seeded draw, so shares hold on average and never change."""
    draw = random.Random(f"{spec.seed}:{index}").random()
    if draw < spec.on_topic_share:
        return "on"
    return "near" if draw < spec.on_topic_share + spec.near_miss_share else "off"


def _vary(body: bytes, rng: random.Random) -> bytes:
    """Shuffle the long paragraphs and swap some numbers: the same story, not a verbatim copy."""
    paragraphs = [m.group(0) for m in _PARAGRAPH.finditer(body)]
    shuffled = rng.sample(paragraphs, len(paragraphs))
    shuffled = [_NUMBER.sub(lambda m: rng.choice(_NUMBERS) if rng.random() < 0.5 else m.group(0), p)
                for p in shuffled]
    pieces = iter(shuffled)
    return _PARAGRAPH.sub(lambda _m: next(pieces), body)


def _record_url(template_url: str, index: int) -> str:
    base, _, query = template_url.partition("?")
    stem = base.rstrip("/")
    return f"{stem}-bench{index:07d}" + (f"?{query}" if query else "")


def _warc_record(warc_type: str, headers: dict[str, str], block: bytes) -> bytes:
    lines = [f"WARC-Type: {warc_type}", *(f"{k}: {v}" for k, v in headers.items()),
             f"Content-Length: {len(block)}"]
    head = ("WARC/1.0\r\n" + "\r\n".join(lines) + "\r\n\r\n").encode("utf-8")
    return _gzip_member(head + block + b"\r\n\r\n")


def _gzip_member(data: bytes) -> bytes:
    """One gzip member with a zero timestamp, so output is byte-identical across builds."""
    compressor = zlib.compressobj(6, zlib.DEFLATED, 31)
    return compressor.compress(data) + compressor.flush()


def _sha1(data: bytes) -> str:
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode("ascii")


def build_record(spec: CorpusSpec, index: int) -> bytes:
    """Record ``index`` of the corpus as one gzipped WARC response record."""
    rng = random.Random(f"{spec.seed}:{index}:page")
    kind = record_kind(spec, index)
    template = rng.choice(templates()[kind])
    url = _record_url(template.url, index)
    body = template.body.replace(template.url.encode("utf-8"), url.encode("utf-8"))
    if kind == "on":
        body = _vary(body, rng)
    moment = _START + _SPAN * index / spec.records  # new records are newer
    http_head = (f"HTTP/1.1 {template.status} {'OK' if template.status == 200 else 'Error'}\r\n"
                 f"Date: {format_datetime(moment, usegmt=True)}\r\nContent-Type: {template.content_type}\r\n"
                 f"Content-Length: {len(body)}\r\n\r\n").encode("ascii")
    block = http_head + body
    return _warc_record("response", {
        "WARC-Date": moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "WARC-Record-ID": f"<urn:uuid:{uuid.uuid5(_NAMESPACE, url)}>",
        "Content-Type": "application/http; msgtype=response",
        "WARC-Target-URI": url,
        "WARC-Payload-Digest": _sha1(body),
        "WARC-Block-Digest": _sha1(block),
    }, block)


def _warcinfo(name: str) -> bytes:
    fields = f"software: nkwatch bench/corpus.py\r\nformat: WARC File Format 1.0\r\nisPartOf: {name}\r\n"
    return _warc_record("warcinfo", {"WARC-Date": _START.strftime("%Y-%m-%dT%H:%M:%SZ"),
                                     "WARC-Record-ID": f"<urn:uuid:{uuid.uuid5(_NAMESPACE, name)}>",
                                     "WARC-Filename": name, "Content-Type": "application/warc-fields"},
                        fields.encode("utf-8"))


def _build_range(args: tuple[CorpusSpec, int, int]) -> bytes:
    spec, start, stop = args
    return b"".join(build_record(spec, index) for index in range(start, stop))


def _chunks(spec: CorpusSpec, first: int, count: int, size: int = 64) -> Iterator[tuple[CorpusSpec, int, int]]:
    for start in range(first, first + count, size):
        yield spec, start, min(start + size, first + count)


def write_warc(path: Path, spec: CorpusSpec, first: int, count: int, workers: int | None = None) -> None:
    """Write records ``first .. first+count-1`` to ``path`` (built in parallel, written in order).

    The workers come from the stage-code fork server, not from the caller: a caller with threads
    or changed signal handlers (a test session that ran Dagster in process) must not be copied,
    and the pool ends by telling its workers to stop rather than by signalling them.
    """
    tmp = path.with_suffix(".part")
    with tmp.open("wb") as out, process_pool(workers or os.cpu_count() or 1) as pool:
        out.write(_warcinfo(path.name))
        for data in pool.map(_build_range, _chunks(spec, first, count)):
            out.write(data)
    tmp.rename(path)


@dataclass(frozen=True)
class Corpus:
    """A built corpus: the main WARC, the later file of new records, and what they hold."""

    spec: CorpusSpec
    main: Path
    increment: Path
    kinds: dict[str, int]


def kind_counts(spec: CorpusSpec, first: int, count: int) -> dict[str, int]:
    counts = {"on": 0, "near": 0, "off": 0}
    for index in range(first, first + count):
        counts[record_kind(spec, index)] += 1
    return counts


def build_corpus(spec: CorpusSpec, cache_dir: Path = CACHE_DIR) -> Corpus:
    """Build (or reuse from the cache) the corpus of ``spec`` and its 1 % increment."""
    folder = cache_dir / spec.key
    folder.mkdir(parents=True, exist_ok=True)
    main = folder / "CC-NEWS-bench-00000.warc.gz"
    increment = folder / "CC-NEWS-bench-00001.warc.gz"
    if not main.exists():
        write_warc(main, spec, 0, spec.records)
    if not increment.exists():
        write_warc(increment, spec, spec.records, spec.increment_records)
    return Corpus(spec, main, increment, kind_counts(spec, 0, spec.records))


def describe(corpus: Corpus) -> dict[str, object]:
    """The corpus's parameters and sizes, for the benchmark's JSON."""
    return {**asdict(corpus.spec), "kinds": corpus.kinds, "main_bytes": corpus.main.stat().st_size,
            "increment_records": corpus.spec.increment_records, "increment_bytes": corpus.increment.stat().st_size}
