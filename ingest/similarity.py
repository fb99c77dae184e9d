"""Incremental near-duplicate links between texts: MinHash signatures, LSH candidates, one stage.

Two corpora use it: whole articles (syndicated and lightly edited copies, ``ingest.syndication``)
and claim propositions (the same statement carried by several articles, ``ingest.claim_spread``).
Each text gets one MinHash signature, stored in ``raw.similarity_signatures`` with a fingerprint
of what it was computed from; a run signs only texts that are new or changed, drops the
signatures and links of texts that changed or vanished, and queries the new signatures against
an LSH index of every stored one. Pairs whose estimated resemblance passes the corpus's rule land
in ``raw.similarity_links``; grouping the links into stories and clusters is dbt's job.

Only the links that connected components need are stored (a spanning forest): a new item is
linked to one member of every group it resembles, not to each of a group's members. A wire story
copied by a hundred outlets then costs a hundred links instead of five thousand, for the same
stories and clusters. When an item changes or vanishes, the items it was linked to are queried
again, so a group it held together is rejoined wherever its other members still resemble.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import numpy as np
from datasketch import MinHash, MinHashLSH

from ingest.load import insert_rows
from ingest.parallel import BatchMapper
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


# Drawing the permutations costs more than hashing a claim: draw them once, copy per text.
_EMPTY = MinHash(num_perm=NUM_PERM, seed=_SEED, scheme=_SCHEME)


def signature(shingles: Iterable[str]) -> np.ndarray:
    """MinHash of a shingle set: NUM_PERM uint32 values, comparable across runs (fixed seed)."""
    minhash = _EMPTY.copy()
    minhash.update_batch([s.encode("utf-8") for s in shingles])
    return minhash.hashvalues.astype(np.uint32)


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


class _Groups:
    """Union-find over linked items: which items the stored links already connect."""

    def __init__(self, pairs: Iterable[tuple[str, str]] = ()) -> None:
        self._parent: dict[str, str] = {}
        for first, second in pairs:
            self.join(first, second)

    def root(self, item: str) -> str:
        parent = self._parent.setdefault(item, item)
        while parent != item:
            grandparent = self._parent.setdefault(parent, parent)
            self._parent[item] = grandparent
            item, parent = parent, grandparent
        return item

    def join(self, first: str, second: str) -> None:
        self._parent[self.root(first)] = self.root(second)


def _drop_stale(con: duckdb.DuckDBPyConnection, corpus: Corpus) -> tuple[int, list[str]]:
    """Forget signatures (and links) of items that changed or no longer exist.

    Returns how many were dropped and the unchanged items they were linked to, which must be
    queried again: a dropped link may have been the only one holding their group together.
    """
    con.begin()
    con.execute(f"CREATE TEMP TABLE _current AS SELECT item_id, fingerprint FROM ({corpus.items_sql})")
    stale = [row[0] for row in con.execute(
        "SELECT s.item_id FROM raw.similarity_signatures AS s "
        "ANTI JOIN _current AS c ON c.item_id = s.item_id AND c.fingerprint = s.fingerprint "
        "WHERE s.kind = ?", [corpus.kind]).fetchall()]
    neighbours: list[str] = []
    if stale:
        neighbours = [row[0] for row in con.execute(
            "SELECT DISTINCT other FROM (SELECT item_id AS this, linked_item_id AS other FROM raw.similarity_links "
            "WHERE kind = $1 UNION ALL SELECT linked_item_id, item_id FROM raw.similarity_links WHERE kind = $1) "
            "WHERE this IN (SELECT unnest($2)) AND other NOT IN (SELECT unnest($2)) ORDER BY other",
            [corpus.kind, stale]).fetchall()]
        con.execute("DELETE FROM raw.similarity_links WHERE kind = $1 AND (item_id IN (SELECT unnest($2)) "
                    "OR linked_item_id IN (SELECT unnest($2)))", [corpus.kind, stale])
        con.execute("DELETE FROM raw.similarity_signatures WHERE kind = $1 AND item_id IN (SELECT unnest($2))",
                    [corpus.kind, stale])
    con.execute("DROP TABLE _current")
    con.commit()
    return len(stale), neighbours


def _pending_sql(corpus: Corpus) -> str:
    """``(item_id, fingerprint, text)`` of every item without a stored signature, in a fixed order."""
    return (f"SELECT c.item_id, c.fingerprint, c.text FROM ({corpus.items_sql}) AS c "
            "ANTI JOIN raw.similarity_signatures AS s ON s.kind = ? AND s.item_id = c.item_id "
            "ORDER BY c.item_id")


class _BandIndex:
    """LSH buckets of signatures: items that agree on every value of some band are candidates.

    The banding (how many bands of how many values) is the one datasketch's ``MinHashLSH``
    derives for the threshold; the buckets are plain dicts keyed by a band's bytes, so a run that
    loads thousands of stored signatures fills them in a few array operations per band instead
    of one ``MinHashLSH.insert`` per item (~1.5 s for 8,000 items).
    """

    def __init__(self, threshold: float) -> None:
        banding = MinHashLSH(threshold=threshold, num_perm=NUM_PERM).hashranges
        self._bands = [slice(start, end) for start, end in banding]
        self._buckets: list[dict[bytes, list[str]]] = [{} for _ in self._bands]

    def insert_many(self, item_ids: list[str], signatures: np.ndarray) -> None:
        """Index the rows of ``signatures`` (one per item, NUM_PERM uint32 values) under ``item_ids``."""
        for band, buckets in zip(self._bands, self._buckets):
            values = np.ascontiguousarray(signatures[:, band])
            keys = values.view(np.dtype((np.void, values.shape[1] * values.itemsize))).ravel().tolist()
            for key, item_id in zip(keys, item_ids):
                buckets.setdefault(key, []).append(item_id)

    def insert(self, item_id: str, values: np.ndarray) -> None:
        for band, buckets in zip(self._bands, self._buckets):
            buckets.setdefault(values[band].tobytes(), []).append(item_id)

    def query(self, values: np.ndarray) -> set[str]:
        """Every indexed item sharing a band with ``values``."""
        return {item_id for band, buckets in zip(self._bands, self._buckets)
                for item_id in buckets.get(values[band].tobytes(), ())}


class _Linker:
    """Every stored signature of one corpus in an LSH index, and the groups its links form."""

    def __init__(self, con: duckdb.DuckDBPyConnection, corpus: Corpus) -> None:
        self.corpus = corpus
        self.index = _BandIndex(corpus.lsh_threshold)
        self.stored: dict[str, tuple[np.ndarray, int]] = {}
        self.first_of: dict[tuple[bytes, int], str] = {}  # the first item of each distinct (signature, size)
        rows = con.execute(
            "SELECT item_id, minhash, shingle_count FROM raw.similarity_signatures "
            "WHERE kind = ? AND shingle_count >= ?", [corpus.kind, corpus.min_shingles]).fetchall()
        pairs = con.execute("SELECT item_id, linked_item_id FROM raw.similarity_links WHERE kind = ?",
                            [corpus.kind]).fetchall()
        if rows:
            signatures = np.frombuffer(b"".join(blob for _, blob, _ in rows), dtype=np.uint32).reshape(len(rows), -1)
            self.index.insert_many([item_id for item_id, _, _ in rows], signatures)
            for (item_id, _, count), values in zip(rows, signatures):
                self._remember(item_id, values, count)
        self.groups = _Groups(pairs)

    def add(self, item_id: str, values: np.ndarray, count: int) -> None:
        self.index.insert(item_id, values)
        self._remember(item_id, values, count)

    def _remember(self, item_id: str, values: np.ndarray, count: int) -> None:
        self.stored[item_id] = (values, count)
        self.first_of.setdefault((values.tobytes(), count), item_id)

    def links(self, item_id: str, values: np.ndarray, count: int, now: datetime) -> list[dict[str, object]]:
        """Links from one item to each group it resembles that it is not already part of.

        A text identical to one already linked (same signature and size: a syndicated copy, a
        quote every outlet repeats) resembles exactly the groups that one does, and that one
        was joined to all of them: one link to it suffices, with no index query.
        """
        twin = self.first_of.get((values.tobytes(), count), item_id)
        candidates = [twin] if twin != item_id else sorted(self.index.query(values))
        found = []
        for other in candidates:
            if other == item_id or self.groups.root(other) == self.groups.root(item_id):
                continue
            match = resemblance(values, count, *self.stored[other])
            if self.corpus.accept(match):
                self.groups.join(item_id, other)
                first, second = sorted((item_id, other))
                found.append({"kind": self.corpus.kind, "item_id": first, "linked_item_id": second,
                              "jaccard": match.jaccard, "containment": match.containment, "linked_at": now})
        return found


Rows = list[dict[str, object]]


def _store(con: duckdb.DuckDBPyConnection, signatures: Rows, links: Rows) -> int:
    con.begin()
    insert_rows(con, "similarity_signatures", signatures)
    added = insert_rows(con, "similarity_links", links)
    con.commit()
    return added


def signed(item: tuple[str, str, str], shingles: Callable[[str], set[str]]) -> tuple[str, str, int, np.ndarray]:
    """``(item_id, fingerprint, text)`` as ``(item_id, fingerprint, shingle count, MinHash)``; runs in a worker."""
    item_id, fingerprint, text = item
    found = shingles(text)
    return item_id, fingerprint, len(found), signature(found)


def _link_batch(linker: _Linker, signed_items: list[tuple[str, str, int, np.ndarray]]) -> tuple[Rows, Rows]:
    """Signature rows for a batch of signed items, and each item's new links, in the batch's order."""
    corpus, now = linker.corpus, datetime.now(timezone.utc)
    signatures, links = [], []
    for item_id, fingerprint, count, values in signed_items:
        signatures.append({"kind": corpus.kind, "item_id": item_id, "fingerprint": fingerprint,
                           "shingle_count": count, "minhash": values.tobytes(), "signed_at": now})
        if count >= corpus.min_shingles:
            links += linker.links(item_id, values, count, now)
            linker.add(item_id, values, count)
    return signatures, links


def link_pending(warehouse: Path, corpus: Corpus, *, batch_size: int = 500, workers: int = 1) -> LinkReport:
    """Sign every new or changed item of the corpus and link it to the groups it resembles.

    Signing (shingles and MinHash, most of the work) is spread over ``workers`` processes, the
    next batch signing while this one is linked; linking stays here, in order, because each
    item is compared with every item linked before it. One connection serves the whole pass:
    pending items stream from a cursor of their own while each batch's signatures and links
    are written, so a batch costs no reopening of the file.
    """
    with connect(warehouse) as con:
        dropped, neighbours = _drop_stale(con, corpus)
        report = LinkReport(corpus.kind, dropped=dropped)
        linker: _Linker | None = None
        with con.cursor() as pending, BatchMapper(workers) as mapper:
            pending.execute(_pending_sql(corpus), [corpus.kind])
            batches = iter(lambda: pending.fetchmany(batch_size), [])
            for items, signed_items in mapper.map_batches(signed, batches, shingles=corpus.shingles):
                linker = linker or _Linker(con, corpus)
                report.links += _store(con, *_link_batch(linker, signed_items))
                report.signed += len(items)
        if neighbours:
            linker = linker or _Linker(con, corpus)
            now = datetime.now(timezone.utc)
            links = [link for item_id in neighbours if item_id in linker.stored
                     for link in linker.links(item_id, *linker.stored[item_id], now)]
            report.links += _store(con, [], links)
    logger.info("%s links: %s", corpus.kind, report.as_metadata())
    return report
