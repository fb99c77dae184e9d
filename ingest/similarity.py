"""Incremental near-duplicate links between texts: MinHash signatures, LSH candidates, one stage.

Two corpora use it: whole articles (syndicated and lightly edited copies, ``ingest.syndication``)
and claim propositions (the same statement carried by several articles, ``ingest.claim_spread``).
Each text gets one MinHash signature, stored in ``raw.similarity_signatures`` with a fingerprint
of what it was computed from; a run signs only texts that are new or changed, drops the
signatures and links of texts that changed or vanished, and queries the new signatures against
an LSH index of every stored one. Pairs whose estimated resemblance passes the corpus's rule land
in ``raw.similarity_links``; grouping the links into stories and clusters is dbt's job.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

from ingest.load import insert_rows
from ingest.warehouse import connect

logger = logging.getLogger(__name__)

NUM_PERM = 128
_SEED = 1
_SCHEME = "affine32"  # named explicitly: stored signatures must stay comparable across datasketch releases
_WORD = re.compile(r"\w+", re.UNICODE)


def words(text: str) -> list[str]:
    """Lower-cased word tokens with accents and typographic variants folded (NFKC)."""
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def word_shingles(tokens: list[str], size: int) -> set[str]:
    """Every run of ``size`` consecutive tokens (the whole text when it is shorter)."""
    if len(tokens) <= size:
        return {" ".join(tokens)} if tokens else set()
    return {" ".join(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}


def signature(shingles: Iterable[str]) -> np.ndarray:
    """MinHash of a shingle set: NUM_PERM uint32 values, comparable across runs (fixed seed)."""
    minhash = MinHash(num_perm=NUM_PERM, seed=_SEED, scheme=_SCHEME)
    minhash.update_batch([s.encode("utf-8") for s in shingles])
    return minhash.hashvalues.astype(np.uint32)


def _lean(values: np.ndarray) -> LeanMinHash:
    return LeanMinHash(seed=_SEED, hashvalues=values, scheme=_SCHEME)


@dataclass(frozen=True)
class Resemblance:
    """Estimated overlap of two shingle sets, from their signatures and sizes."""

    jaccard: float  # |A ∩ B| / |A ∪ B|
    containment: float  # |A ∩ B| / min(|A|, |B|): high when one text is a cut-down copy of the other
    smaller: int  # shingles in the smaller set


def resemblance(a: np.ndarray, size_a: int, b: np.ndarray, size_b: int) -> Resemblance:
    """Jaccard from the share of equal MinHash values; containment derived from it and the sizes."""
    jaccard = float(np.mean(a == b))
    smaller = min(size_a, size_b)
    overlap = jaccard * (size_a + size_b) / (1.0 + jaccard)
    return Resemblance(round(jaccard, 4), round(min(1.0, overlap / max(smaller, 1)), 4), smaller)


@dataclass(frozen=True)
class Corpus:
    """One kind of text to link: where its items come from, how to shingle them, which pairs count.

    ``items_sql`` selects ``(item_id, fingerprint, text)`` for every current item; the
    fingerprint changes whenever the text (or anything the link depends on) changes.
    """

    kind: str
    items_sql: str
    shingles: Callable[[str], set[str]]
    accept: Callable[[Resemblance], bool]
    lsh_threshold: float
    min_shingles: int  # shorter texts are signed but never linked (too little to compare)


@dataclass
class LinkReport:
    """What one linking pass did for one corpus."""

    kind: str
    signed: int = 0
    dropped: int = 0
    links: int = 0

    def as_metadata(self) -> dict[str, object]:
        return {f"{self.kind}_signed": self.signed, f"{self.kind}_dropped": self.dropped,
                f"{self.kind}_links_added": self.links}


def _drop_stale(warehouse: Path, corpus: Corpus) -> int:
    """Forget signatures (and their links) of items that changed or no longer exist."""
    with connect(warehouse) as con:
        con.begin()
        con.execute(f"CREATE TEMP TABLE _current AS SELECT item_id, fingerprint FROM ({corpus.items_sql})")
        stale = [row[0] for row in con.execute(
            "SELECT s.item_id FROM raw.similarity_signatures AS s "
            "ANTI JOIN _current AS c ON c.item_id = s.item_id AND c.fingerprint = s.fingerprint "
            "WHERE s.kind = ?", [corpus.kind]).fetchall()]
        if stale:
            con.execute("DELETE FROM raw.similarity_links WHERE kind = $1 AND (item_id IN (SELECT unnest($2)) "
                        "OR linked_item_id IN (SELECT unnest($2)))", [corpus.kind, stale])
            con.execute("DELETE FROM raw.similarity_signatures WHERE kind = $1 AND item_id IN (SELECT unnest($2))",
                        [corpus.kind, stale])
        con.execute("DROP TABLE _current")
        con.commit()
    return len(stale)


def _pending(warehouse: Path, corpus: Corpus, limit: int) -> list[tuple[str, str, str]]:
    with connect(warehouse) as con:
        return con.execute(
            f"SELECT c.item_id, c.fingerprint, c.text FROM ({corpus.items_sql}) AS c "
            "ANTI JOIN raw.similarity_signatures AS s ON s.kind = ? AND s.item_id = c.item_id "
            "ORDER BY c.item_id LIMIT ?",
            [corpus.kind, limit],
        ).fetchall()


def _load_index(warehouse: Path, corpus: Corpus) -> tuple[MinHashLSH, dict[str, tuple[np.ndarray, int]]]:
    """LSH index of every stored signature long enough to be linked."""
    index = MinHashLSH(threshold=corpus.lsh_threshold, num_perm=NUM_PERM)
    stored: dict[str, tuple[np.ndarray, int]] = {}
    with connect(warehouse, read_only=True) as con:
        rows = con.execute(
            "SELECT item_id, minhash, shingle_count FROM raw.similarity_signatures WHERE kind = ? AND shingle_count >= ?",
            [corpus.kind, corpus.min_shingles],
        ).fetchall()
    for item_id, blob, count in rows:
        values = np.frombuffer(blob, dtype=np.uint32)
        stored[item_id] = (values, count)
        index.insert(item_id, _lean(values))
    return index, stored


def link_pending(warehouse: Path, corpus: Corpus, *, batch_size: int = 500) -> LinkReport:
    """Sign every new or changed item of the corpus and link it to its near-duplicates."""
    report = LinkReport(corpus.kind, dropped=_drop_stale(warehouse, corpus))
    index: MinHashLSH | None = None
    stored: dict[str, tuple[np.ndarray, int]] = {}
    while items := _pending(warehouse, corpus, batch_size):
        if index is None:
            index, stored = _load_index(warehouse, corpus)
        now = datetime.now(timezone.utc)
        signatures, links = [], []
        for item_id, fingerprint, text in items:
            shingles = corpus.shingles(text)
            values = signature(shingles)
            signatures.append({"kind": corpus.kind, "item_id": item_id, "fingerprint": fingerprint,
                               "shingle_count": len(shingles), "minhash": values.tobytes(), "signed_at": now})
            if len(shingles) < corpus.min_shingles:
                continue
            for other in index.query(_lean(values)):
                match = resemblance(values, len(shingles), *stored[other])
                if corpus.accept(match):
                    first, second = sorted((item_id, other))
                    links.append({"kind": corpus.kind, "item_id": first, "linked_item_id": second,
                                  "jaccard": match.jaccard, "containment": match.containment, "linked_at": now})
            index.insert(item_id, _lean(values))
            stored[item_id] = (values, len(shingles))
        with connect(warehouse) as con:
            con.begin()
            insert_rows(con, "similarity_signatures", signatures)
            report.links += insert_rows(con, "similarity_links", links)
            con.commit()
        report.signed += len(items)
    logger.info("%s links: %s", corpus.kind, report.as_metadata())
    return report
