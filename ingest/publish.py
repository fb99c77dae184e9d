"""The analysts' copy of the marts: a separate DuckDB file replaced atomically after each build.

DuckDB will not let a reader open a file a writer holds, and a reader holding it blocks the
writer. So analysts never open the warehouse: after a successful build its ``main`` tables
are copied into a temporary file beside the published one, which then replaces it with
``os.replace``. A reader that has the old file open keeps reading the old inode and never
blocks the next run; a new reader sees the whole new copy or the whole old one.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from ingest.lock import warehouse_lock

PUBLICATION_TABLE = "_publication"


def published_path(warehouse: Path) -> Path:
    """Where the analysts' copy of ``warehouse`` lives: ``<name>_public.duckdb`` beside it."""
    return warehouse.with_name(f"{warehouse.stem}_public.duckdb")


@dataclass(frozen=True)
class Publication:
    """What one publication wrote."""

    path: Path
    published_at: datetime
    rows: dict[str, int]


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def publish_marts(warehouse: Path, target: Path | None = None, run_id: str = "") -> Publication:
    """Copy every table of the warehouse's ``main`` schema (the marts) into ``target``, atomically."""
    target = target or published_path(warehouse)
    temporary = target.with_name(f".{target.name}.tmp")  # one publisher at a time: the warehouse lock
    published_at = datetime.now(timezone.utc)
    with warehouse_lock(warehouse):  # a build cannot start while the copy is taken
        for leftover in (temporary, temporary.with_name(temporary.name + ".wal")):
            leftover.unlink(missing_ok=True)  # from a publisher killed mid-copy
        con = duckdb.connect(str(temporary))
        try:
            con.execute(f"ATTACH {_quote(str(warehouse))} AS warehouse (READ_ONLY)")
            tables = [row[0] for row in con.execute(
                "SELECT table_name FROM duckdb_tables() WHERE database_name = 'warehouse' "
                "AND schema_name = 'main' ORDER BY 1").fetchall()]
            rows = {}
            for table in tables:
                con.execute(f'CREATE TABLE main."{table}" AS SELECT * FROM warehouse.main."{table}"')
                rows[table] = con.execute(f'SELECT count(*) FROM main."{table}"').fetchall()[0][0]
            con.execute(f"CREATE TABLE main.{PUBLICATION_TABLE} AS "
                        "SELECT ?::TIMESTAMPTZ AS published_at, ? AS run_id", [published_at, run_id])
            con.execute("DETACH warehouse")
            con.execute("CHECKPOINT")
        finally:
            con.close()
    os.replace(temporary, target)
    return Publication(path=target, published_at=published_at, rows=rows)
