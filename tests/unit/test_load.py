"""Raw loads are idempotent and bulk: landing a batch twice adds nothing."""

from datetime import datetime, timezone
from pathlib import Path

from ingest.load import insert_rows
from ingest.warehouse import connect, raw_row_counts


def attempt(n: int, reason: str = "refused") -> dict[str, object]:
    return {
        "attempt_id": f"id-{n}",
        "source_name": "s",
        "url": f"https://example.com/{n}",
        "final_url": None,
        "stage": "fetch",
        "outcome": "failed",
        "reason": reason,
        "http_status": None,
        "content_type": None,
        "body_bytes": None,
        "attempted_at": datetime(2024, 10, 8, tzinfo=timezone.utc),
    }


def test_insert_twice_adds_rows_once(tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    rows = [attempt(n) for n in range(1000)]
    with connect(warehouse) as con:
        assert insert_rows(con, "fetch_attempts", rows) == 1000
        assert insert_rows(con, "fetch_attempts", rows) == 0
    assert raw_row_counts(warehouse, ["fetch_attempts"]) == {"fetch_attempts": 1000}


def test_replace_overwrites_existing_keys(tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    with connect(warehouse) as con:
        insert_rows(con, "fetch_attempts", [attempt(1, "refused")])
        insert_rows(con, "fetch_attempts", [attempt(1, "timeout: read")], replace=True)
        assert con.execute("SELECT reason FROM raw.fetch_attempts").fetchall() == [("timeout: read",)]


def test_schema_creation_is_repeatable(tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    for _ in range(2):
        with connect(warehouse) as con:
            tables = {row[0] for row in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'raw'"
            ).fetchall()}
    assert {"pages", "articles", "claims", "fetch_attempts"} <= tables


def test_old_warehouse_gets_new_columns(tmp_path: Path) -> None:
    import duckdb

    warehouse = tmp_path / "old.duckdb"
    con = duckdb.connect(str(warehouse))
    con.execute("CREATE SCHEMA raw")
    con.execute("CREATE TABLE raw.articles (article_id VARCHAR PRIMARY KEY, text VARCHAR)")
    con.close()
    with connect(warehouse) as con:
        columns = {row[0] for row in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = 'raw' AND table_name = 'articles'"
        ).fetchall()}
    assert {"page_kind", "title", "content_hash"} <= columns
