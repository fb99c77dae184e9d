"""Which claims carry the same proposition: one statement travelling across articles and outlets.

A claim's proposition is its evidence sentence without the speaker's words and the attribution
cue ("Kremlin spokesman Dmitry Peskov", "commented to journalists"): the same statement
attributed to different speakers, or affirmed by one and denied by another, is one
proposition, which is what claim spread follows. Speakers therefore need not match; the
cluster lists them, with affirm and deny counts.

Propositions are compared as sets of content-word unigrams and bigrams (a short stop list
removed), which tolerates reworded attribution and small edits. Two claims are linked when the
estimated Jaccard resemblance is at least ``MIN_JACCARD`` (0.5). On the embedded sample,
verbatim and lightly edited quotes across outlets score 0.76–1.0 and the two Moscow Times
wordings of "six North Korean officers killed near Donetsk" 0.55; the closest pair of different
propositions ("Seoul says troops likely fight" against "the Kremlin dismissed Seoul's claim that
troops fight") scores 0.37. Propositions with fewer than ``MIN_SHINGLES`` shingles are too short
to tell apart ("such allegations") and stay alone.
"""

from __future__ import annotations

from ingest.similarity import Corpus, Resemblance, word_shingles, words

MIN_JACCARD = 0.5
MIN_SHINGLES = 6
SIGNER_VERSION = "1"
_SEPARATOR = "\x1f"
_STOP_WORDS = frozenset(
    "a an the of to in on at by for with as from and or but that this these those it its their there than "
    "is are was were be been being has have had will would".split()
)


def proposition_shingles(packed: str) -> set[str]:
    """Unigrams and bigrams of a sentence's content words, minus the speaker's and the cue's words.

    ``packed`` is ``sentence␟speaker_surface␟cue`` as ``CLAIMS.items_sql`` selects it.
    """
    sentence, speaker, cue = (packed.split(_SEPARATOR) + ["", ""])[:3]
    attribution = set(words(speaker)) | set(words(cue))
    tokens = [w for w in words(sentence) if w not in _STOP_WORDS and w not in attribution]
    return word_shingles(tokens, 1) | word_shingles(tokens, 2)


def same_proposition(match: Resemblance) -> bool:
    """Whether two claims state one proposition (see the module docstring for the threshold)."""
    return match.jaccard >= MIN_JACCARD


# item_id is the pre-image of the claim_id dbt derives (md5(article_id || ':' || claim_index)).
CLAIMS = Corpus(
    kind="claim",
    items_sql=(
        "SELECT article_id || ':' || claim_index AS item_id, "
        f"'{SIGNER_VERSION}:' || nlp_version || ':' || md5(sentence || '{_SEPARATOR}' || coalesce(speaker_surface, '') "
        f"|| '{_SEPARATOR}' || cue) AS fingerprint, "
        f"sentence || '{_SEPARATOR}' || coalesce(speaker_surface, '') || '{_SEPARATOR}' || cue AS text "
        "FROM raw.claims"
    ),
    shingles=proposition_shingles,
    accept=same_proposition,
    lsh_threshold=0.4,
    min_shingles=MIN_SHINGLES,
)
