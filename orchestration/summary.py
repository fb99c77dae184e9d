"""The short report printed after a run: what is in the warehouse and how to query it."""

from __future__ import annotations

from pathlib import Path

import duckdb

from ingest.publish import published_path

MART_TABLES = (
    "articles",
    "entities",
    "entity_mentions",
    "claims",
    "claim_quantities",
    "claim_clusters",
    "stories",
    "daily_coverage",
    "daily_coverage_by_outlet",
    "fetch_failures",
)


def summarize(warehouse: Path) -> dict[str, object]:
    """Rows per mart and the articles' date range, read from the warehouse file."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        rows = {table: con.execute(f"SELECT count(*) FROM main.{table}").fetchall()[0][0] for table in MART_TABLES}
        first, last, on_topic = con.execute(
            "SELECT min(published_date), max(published_date), count(*) FILTER (WHERE is_on_topic) FROM main.articles"
        ).fetchall()[0]
        failures = con.execute(
            "SELECT stage, split_part(reason, ':', 1) AS code, count(*) FROM main.fetch_failures "
            "GROUP BY ALL ORDER BY 3 DESC, 1, 2"
        ).fetchall()
    finally:
        con.close()
    return {
        "rows": rows,
        "first_date": first,
        "last_date": last,
        "on_topic_articles": on_topic,
        "failures": [(stage, code, count) for stage, code, count in failures],
    }


def print_summary(warehouse: Path, run_id: str | None = None) -> None:
    """Print the summary in a few lines a person can read."""
    published = published_path(warehouse)
    summary = summarize(published)  # the marts as just published: never locked by a concurrent run
    print(f"nkwatch: run {run_id or ''} succeeded.".replace("  ", " "))
    print("Rows per table:")
    for table, count in summary["rows"].items():
        print(f"  {table:<26}{count:>8}")
    print(
        f"Articles published {summary['first_date']} .. {summary['last_date']} "
        f"({summary['on_topic_articles']} on topic)."
    )
    if summary["failures"]:
        reasons = ", ".join(f"{count} {stage} {code}" for stage, code, count in summary["failures"])
        print(f"Not turned into articles: {reasons} (see the fetch_failures table).")
    print(f"Warehouse: {warehouse}\nAnalysts' read-only copy: {published} (nkwatch sql opens it)")
    print(
        "Query it: duckdb -readonly "
        f"{published} \"SELECT published_date, speaker, polarity, certainty, sentence FROM claims ORDER BY 1\""
    )
