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


def test_a_group_is_linked_as_a_spanning_forest_and_survives_losing_its_hub(tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    copies = {name: STORY.replace("Paragraph 0", f"{note} Paragraph 0")
              for name, note in (("a", ""), ("b", "Updated."), ("c", "Editor's note:"), ("d", "Correction:"))}
    with connect(warehouse) as con:
        insert_rows(con, "articles", [_article(name, text) for name, text in copies.items()])
    report = link_pending(warehouse, ARTICLES)
    assert report.links == 3  # four copies, one group: three links, not all six pairs
    assert {item for pair in _links(warehouse) for item in pair} == {"a", "b", "c", "d"}
    with connect(warehouse) as con:  # the earliest copy, which the others were linked to, disappears
        con.execute("DELETE FROM raw.articles WHERE article_id = 'a'")
    report = link_pending(warehouse, ARTICLES)
    assert report.dropped == 1 and report.signed == 0
    links = _links(warehouse)
    assert len(links) == 2 and {item for pair in links for item in pair} == {"b", "c", "d"}


def test_signing_on_worker_processes_links_as_one_process_does(tmp_path: Path) -> None:
    stories = [STORY.replace("Paragraph 0", f"Version {i}. Paragraph 0") for i in range(20)]
    others = [OTHER.replace("Item 0", f"Stall {i} Item 0 {'extra ' * i}") for i in range(20)]
    articles = [_article(f"s{i:02}", text) for i, text in enumerate(stories)]
    articles += [_article(f"o{i:02}", text) for i, text in enumerate(others)]
    results = []
    for workers in (1, 2):
        warehouse = tmp_path / f"w{workers}.duckdb"
        with connect(warehouse) as con:
            insert_rows(con, "articles", articles)
        # Batches of 17 with 2 workers: handed to the pool (>= 16 items), next batch signing meanwhile.
        report = link_pending(warehouse, ARTICLES, batch_size=17, workers=workers)
        with connect(warehouse, read_only=True) as con:
            signatures = con.execute("SELECT item_id, shingle_count, minhash FROM raw.similarity_signatures "
                                     "ORDER BY item_id").fetchall()
        results.append((report.signed, report.links, _links(warehouse), signatures))
    assert results[0] == results[1]
    assert results[0][0] == 40 and results[0][1] >= 2  # the copies form groups: some links exist
