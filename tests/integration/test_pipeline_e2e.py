"""The whole graph on the embedded sample, through the real CLI, Dagster, DuckDB and dbt."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import SAMPLE_SOURCES, query, run_nkwatch, table_counts

pytestmark = pytest.mark.timeout(900)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Run the pipeline twice into a fresh warehouse; keep both runs' outputs and counts."""
    root = tmp_path_factory.mktemp("e2e")
    warehouse = root / "nkwatch.duckdb"
    first = run_nkwatch("run", "--warehouse", str(warehouse), dagster_home=root / "dagster")
    assert first.returncode == 0, first.stdout + first.stderr
    counts_first = table_counts(warehouse)
    second = run_nkwatch("run", "--warehouse", str(warehouse), dagster_home=root / "dagster")
    assert second.returncode == 0, second.stdout + second.stderr
    return {
        "warehouse": warehouse,
        "first": first,
        "counts_first": counts_first,
        "counts_second": table_counts(warehouse),
    }


def _seeds(gold: dict) -> dict[str, dict]:
    return {key: value for key, value in gold.items() if not key.startswith("_")}


def _unmarkdown(text: str) -> str:
    """Gold boilerplate samples are markdown dumps; compare their plain text."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"<(https?://[^>]+)>", r"\1", text)
    return text.replace("**", "").strip()


def _article(warehouse: Path, url: str) -> dict:
    rows = query(
        warehouse,
        "SELECT outlet, title, published_date, text, is_on_topic, story_id, article_id FROM articles WHERE url = ?",
        [url],
    )
    assert len(rows) == 1, f"expected one article for {url}, got {len(rows)}"
    keys = ("outlet", "title", "published_date", "text", "is_on_topic", "story_id", "article_id")
    return dict(zip(keys, rows[0]))


def test_summary_is_printed(built: dict) -> None:
    out = built["first"].stdout
    assert "Rows per table" in out
    assert str(built["warehouse"]) in out
    assert "SELECT" in out


def test_seed_articles_have_outlet_title_and_date(built: dict, sample_gold: dict) -> None:
    for seed_id, gold in _seeds(sample_gold).items():
        article = _article(built["warehouse"], gold["url"])
        assert article["outlet"] == gold["outlet"], seed_id
        if gold["title"]:
            assert article["title"] == gold["title"], seed_id
        assert str(article["published_date"]) == gold["published"], seed_id
        assert article["is_on_topic"], seed_id


def test_seed_text_is_main_text_only(built: dict, sample_gold: dict) -> None:
    for seed_id, gold in _seeds(sample_gold).items():
        text = " ".join(_article(built["warehouse"], gold["url"])["text"].split())
        assert " ".join(gold["main_text_first_sentence"].split()) in text, seed_id
        assert " ".join(gold["main_text_last_sentence"].split()) in text, seed_id
        for sample in gold["boilerplate_samples"]:
            assert _unmarkdown(sample) not in text, (seed_id, sample)


def test_off_topic_pages_are_not_on_topic(built: dict, sample_gold: dict) -> None:
    for url in sample_gold["_off_topic_urls"]:
        assert _article(built["warehouse"], url)["is_on_topic"] is False, url


def test_syndicated_copy_shares_the_story(built: dict, sample_gold: dict) -> None:
    pair = sample_gold["_syndicated"]
    original = _article(built["warehouse"], pair["original_url"])
    copy = _article(built["warehouse"], pair["copy_url"])
    assert original["story_id"] == copy["story_id"]
    stories = query(built["warehouse"], "SELECT count(DISTINCT story_id), count(*) FROM articles WHERE is_on_topic")
    assert stories[0][0] == stories[0][1] - 1


def test_failures_are_recorded_with_reasons(built: dict) -> None:
    rows = query(built["warehouse"], "SELECT stage, reason, http_status FROM fetch_failures")
    reasons = {reason.split(":")[0] for _stage, reason, _status in rows}
    assert "http_status" in reasons
    assert "wrong_type" in reasons
    assert any(stage == "extract" for stage, _r, _s in rows)


def test_marts_hold_entities_claims_and_coverage(built: dict) -> None:
    w = built["warehouse"]
    assert query(w, "SELECT count(*) FROM entities WHERE name = 'Dmitry Peskov' AND type = 'PERSON'")[0][0] == 1
    denials = query(w, "SELECT count(*) FROM claims WHERE polarity = 'deny' AND speaker IS NOT NULL")[0][0]
    assert denials >= 1
    days = query(w, "SELECT date, on_topic_articles, unique_stories FROM daily_coverage WHERE on_topic_articles > 0")
    assert {str(d) for d, _a, _s in days} >= {"2024-10-08", "2024-10-10"}
    assert all(stories <= articles for _d, articles, stories in days)


def test_second_run_changes_no_counts(built: dict) -> None:
    assert built["counts_first"] == built["counts_second"]
    assert built["counts_first"]["main.articles"] >= 10


def test_malformed_sources_file_fails_clearly_and_writes_nothing(tmp_path: Path) -> None:
    sources = tmp_path / "sources.yaml"
    sources.write_text("sources:\n  - name: broken\n    kind: carrier-pigeon\n    path: x\n")
    warehouse = tmp_path / "never.duckdb"
    result = run_nkwatch(
        "run", "--sources", str(sources), "--warehouse", str(warehouse), dagster_home=tmp_path / "dagster"
    )
    assert result.returncode == 2
    assert str(sources) in result.stderr
    assert "sources[0] (name: broken), field 'kind'" in result.stderr
    assert not warehouse.exists()


def test_environment_variables_work_like_flags(tmp_path: Path) -> None:
    warehouse = tmp_path / "env.duckdb"
    result = run_nkwatch(
        "run",
        dagster_home=tmp_path / "dagster",
        NKWATCH_WAREHOUSE=str(warehouse),
        NKWATCH_SOURCES=str(SAMPLE_SOURCES),
    )
    assert result.returncode == 0, result.stderr
    assert table_counts(warehouse)["main.articles"] >= 10
