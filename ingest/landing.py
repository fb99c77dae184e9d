"""Raw landing that tolerates parallel writers: Parquet files in a folder, loaded by one writer.

DuckDB lets one process write the warehouse at a time. Landing runs that read different
sources or partitions (several WARC files, CC-NEWS days) can run at once on one machine or
many when each writes its batches as Parquet files of its own into a shared landing folder
(``land_sources(..., landing_dir=...)``); a single later step (``load_landed``) inserts them
all into the raw tables in one transaction, with the same keys and idempotence as direct
landing, and removes them. A crash between the two loses nothing: the files wait.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from ingest.warehouse import RAW_SCHEMA, connect, ensure_raw_schema

logger = logging.getLogger(__name__)

# Tables whose rows are totals or state: the newest row (by the second column) replaces the stored one.
_REPLACING = {"pages_seen": ("source_name, archive, day", "counted_at"),
              "archive_files": ("source_name, archive", "read_at"),
              "feed_state": ("url", "updated_at")}


@cache
def _schema(table: str) -> pa.Schema:
    """The Arrow schema of ``raw.<table>``, so a batch of all-null column still has its type."""
    con = duckdb.connect()
    try:
        ensure_raw_schema(con)
        return con.sql(f"SELECT * FROM {RAW_SCHEMA}.{table} LIMIT 0").to_arrow_table().schema
    finally:
        con.close()


def write_landed(landing_dir: Path, tables: Mapping[str, Sequence[Mapping[str, Any]]]) -> None:
    """Write one batch: a new Parquet file per non-empty table (``<table>/<uuid>.parquet``)."""
    for table, rows in tables.items():
        if not rows:
            continue
        folder = landing_dir / table
        folder.mkdir(parents=True, exist_ok=True)
        name = uuid.uuid4().hex
        partial = folder / f".{name}.tmp"
        pq.write_table(pa.Table.from_pylist(list(rows), schema=_schema(table)), partial)
        partial.rename(folder / f"{name}.parquet")  # readers never see a half-written file


def load_landed(warehouse: Path, landing_dir: Path) -> dict[str, int]:
    """Insert every landed file into the raw tables in one transaction, then delete the files.

    Returns the number of rows read per table.
    """
    files = {table.name: sorted(table.glob("*.parquet")) for table in sorted(landing_dir.glob("*"))
             if table.is_dir()}
    files = {table: paths for table, paths in files.items() if paths}
    counts: dict[str, int] = {}
    with connect(warehouse) as con:
        con.begin()
        for table, paths in files.items():
            counts[table] = _load_table(con, table, paths)
        con.commit()
    for paths in files.values():
        for path in paths:
            path.unlink()
    logger.info("loaded landed rows: %s", counts)
    return counts


def _load_table(con: duckdb.DuckDBPyConnection, table: str, paths: list[Path]) -> int:
    files = [str(p) for p in paths]
    rows = con.execute("SELECT count(*) FROM read_parquet(?)", [files]).fetchall()[0][0]
    source = f"read_parquet({files!r})"
    if table in _REPLACING:
        key, newest = _REPLACING[table]
        source = f"(SELECT * FROM {source} QUALIFY row_number() OVER (PARTITION BY {key} ORDER BY {newest} DESC) = 1)"
    verb = "INSERT OR REPLACE" if table in _REPLACING else "INSERT OR IGNORE"
    con.execute(f"{verb} INTO {RAW_SCHEMA}.{table} BY NAME SELECT * FROM {source}")
    return rows
