"""Forget every extraction and annotation, so the next run redoes them from the landed pages.

Extraction or NLP rules improve; the pages (``raw.pages``, and the WARC archive behind it)
stay. Clearing the derived tables in one transaction leaves the warehouse consistent if the
re-run is interrupted: the parse and annotate stages pick up whatever is still missing, and
the marts (and the analysts' copy) keep the old build until dbt rebuilds them.
"""

from __future__ import annotations

from pathlib import Path

from ingest.annotate import NLP_TABLES
from ingest.warehouse import connect

DERIVED_TABLES = ("extractions", "articles", *NLP_TABLES)


def clear_derived(warehouse: Path) -> dict[str, int]:
    """Delete the rows of the extraction and NLP tables; return how many each held."""
    with connect(warehouse) as con:
        con.begin()
        counts = {t: con.execute(f"SELECT count(*) FROM raw.{t}").fetchall()[0][0] for t in DERIVED_TABLES}
        for table in DERIVED_TABLES:
            con.execute(f"DELETE FROM raw.{table}")
        con.commit()
    return counts
