"""Compare the dbt marts of two warehouses row for row."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

import duckdb


def mart_differences(first: Path, second: Path, ignore: Collection[str] = ()) -> dict[str, int]:
    """Per table of the default schema: rows in one warehouse and not the other (both ways, with
    duplicates), columns named in ``ignore`` left out; a table missing on one side counts -1.
    Empty when the marts are equal."""
    con = duckdb.connect()
    try:
        con.execute(f"ATTACH '{first}' AS a (READ_ONLY)")
        con.execute(f"ATTACH '{second}' AS b (READ_ONLY)")
        tables = {
            db: {t for (t,) in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_catalog = ? "
                "AND table_schema = 'main' AND table_type = 'BASE TABLE'", [db]).fetchall()}
            for db in ("a", "b")
        }
        differences = {t: -1 for t in tables["a"] ^ tables["b"]}
        for table in sorted(tables["a"] & tables["b"]):
            columns = ", ".join(f'"{c}"' for (c,) in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_catalog = 'a' "
                "AND table_schema = 'main' AND table_name = ? ORDER BY ordinal_position", [table]).fetchall()
                if c not in ignore)
            count = con.execute(
                f"SELECT (SELECT count(*) FROM (SELECT {columns} FROM a.main.{table} EXCEPT ALL "
                f"SELECT {columns} FROM b.main.{table})) + (SELECT count(*) FROM (SELECT {columns} FROM "
                f"b.main.{table} EXCEPT ALL SELECT {columns} FROM a.main.{table}))").fetchall()[0][0]
            if count:
                differences[table] = count
        return differences
    finally:
        con.close()
