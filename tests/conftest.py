"""Shared test helpers: paths, and running the real `nkwatch` CLI in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SAMPLE_SOURCES = PROJECT_ROOT / "sample" / "sources.yaml"
NKWATCH = Path(sys.executable).with_name("nkwatch")


def run_nkwatch(*args: str, dagster_home: Path, timeout: float = 600, **env: str) -> subprocess.CompletedProcess[str]:
    """Run the installed `nkwatch` console script with its own Dagster instance."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("NKWATCH_", "DAGSTER_"))}
    environment.update({"DAGSTER_HOME": str(dagster_home), **env})
    return subprocess.run(
        [str(NKWATCH), *args], capture_output=True, text=True, timeout=timeout, env=environment, cwd=PROJECT_ROOT
    )


def table_counts(warehouse: Path, schemas: tuple[str, ...] = ("raw", "main")) -> dict[str, int]:
    """Row count of every table in the given schemas."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        tables = con.execute(
            "SELECT table_schema, table_name FROM information_schema.tables "
            "WHERE table_type = 'BASE TABLE' AND table_schema IN (SELECT unnest(?::VARCHAR[]))",
            [list(schemas)],
        ).fetchall()
        return {f"{s}.{t}": con.execute(f'SELECT count(*) FROM "{s}"."{t}"').fetchall()[0][0] for s, t in tables}
    finally:
        con.close()


def query(warehouse: Path, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="session")
def sample_gold() -> dict:
    return json.loads((FIXTURES / "sample_gold.json").read_text())
