"""Which articles are copies of one another: syndicated wire copy and lightly edited near-copies.

Texts are compared as sets of word 5-shingles (Broder's resemblance), estimated with MinHash
and found with LSH (``ingest.similarity``). Two articles are linked when

- their estimated Jaccard resemblance is at least ``MIN_JACCARD`` (0.5): a copy with a changed
  intro, an added editor's note or a few rewritten paragraphs stays well above it; or
- one is mostly contained in the other (``MIN_CONTAINMENT``, 0.8, with at least
  ``MIN_SHINGLES`` shingles on the smaller side): a copy cut down to its first paragraphs has a
  low Jaccard against the full story but nearly all of its shingles are in it.

Measured on the embedded sample: the AFP copy at france24.com resembles its Moscow Times
original at 1.0; the highest pair of *different* stories is the Moscow Times' AFP follow-up
two days later, which reuses background paragraphs of the first (Jaccard 0.19, containment
0.48). Other on-topic pairs stay below Jaccard 0.05. Both thresholds keep a wide margin on
either side. Exact copies also share ``content_hash``; dbt joins those without a signature.
"""

from __future__ import annotations

from ingest.similarity import Corpus, Resemblance, word_shingles, words

SHINGLE_WORDS = 5
MIN_JACCARD = 0.5
MIN_CONTAINMENT = 0.8
MIN_SHINGLES = 50
# Bump when shingling or the rule changes, so every article is signed and linked again.
SIGNER_VERSION = "1"


def article_shingles(text: str) -> set[str]:
    """Word 5-shingles of an article's main text."""
    return word_shingles(words(text), SHINGLE_WORDS)


def is_copy(match: Resemblance) -> bool:
    """Whether two articles are one story's copies (see the module docstring for the thresholds)."""
    return match.jaccard >= MIN_JACCARD or (match.containment >= MIN_CONTAINMENT and match.smaller >= MIN_SHINGLES)


ARTICLES = Corpus(
    kind="article",
    items_sql=f"SELECT article_id AS item_id, '{SIGNER_VERSION}:' || content_hash AS fingerprint, text FROM raw.articles",
    shingles=article_shingles,
    accept=is_copy,
    lsh_threshold=0.3,
    min_shingles=MIN_SHINGLES,
)
