"""Near-duplicate links: copies found, distinct texts kept apart, changed texts re-linked."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from ingest.load import insert_rows
from ingest.parse import content_hash
from ingest.similarity import link_pending, resemblance, signature, word_shingles, words
from ingest.syndication import ARTICLES, article_shingles, is_copy
from ingest.warehouse import connect

STORY = " ".join(
    f"Paragraph {i}: North Korean troops moved through depot {i} before dawn, officials in Seoul said, "
    f"adding that convoy {i} carried shells bound for the Russian front line near sector {i}."
    for i in range(12)
)
OTHER = " ".join(
    f"Item {i}: the harvest festival in village {i} drew crowds who sampled pickles, dumplings and "
    f"rice cakes from stall {i} while a band played folk songs until late evening."
    for i in range(12)
)


def _article(article_id: str, text: str) -> dict[str, object]:
    now = datetime(2024, 10, 8, tzinfo=timezone.utc)
    return {"article_id": article_id, "page_id": article_id, "source_name": "t", "url": f"https://x.org/{article_id}",
            "fetched_url": f"https://x.org/{article_id}", "outlet": "x.org", "text": text,
            "content_hash": content_hash(text), "fetched_at": now, "extracted_at": now}


def _links(warehouse: Path) -> set[tuple[str, str]]:
    with connect(warehouse, read_only=True) as con:
        return set(con.execute("SELECT item_id, linked_item_id FROM raw.similarity_links").fetchall())


def test_resemblance_estimates_jaccard_and_containment() -> None:
    full = article_shingles(STORY)
    cut = article_shingles(STORY[: len(STORY) // 2])
    match = resemblance(signature(full), len(full), signature(cut), len(cut))
    assert 0.35 < match.jaccard < 0.65 and match.containment > 0.85
    assert is_copy(match)
    other = article_shingles(OTHER)
    assert not is_copy(resemblance(signature(full), len(full), signature(other), len(other)))
    assert word_shingles(words("One two"), 5) == {"one two"}


def test_links_are_incremental_and_follow_text_changes(tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    edited = STORY.replace("Paragraph 0", "Editor's note: updated. Paragraph 0")
    with connect(warehouse) as con:
        insert_rows(con, "articles", [_article("a", STORY), _article("b", edited), _article("c", OTHER)])
    report = link_pending(warehouse, ARTICLES)
    assert (report.signed, report.links) == (3, 1)
    assert _links(warehouse) == {("a", "b")}
    assert link_pending(warehouse, ARTICLES).signed == 0  # nothing new, nothing redone
    with connect(warehouse) as con:  # b is re-extracted with other text: its link must go
        insert_rows(con, "articles", [_article("b", OTHER.upper() + " extra words here")], replace=True)
    report = link_pending(warehouse, ARTICLES)
    assert report.dropped == 1 and report.signed == 1
    assert _links(warehouse) == {("b", "c")}
