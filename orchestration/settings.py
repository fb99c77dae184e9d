"""Where things are: the project's folders and the two settings users override.

`NKWATCH_WAREHOUSE` names the DuckDB file for both the Dagster resource and dbt's
profiles.yml; `NKWATCH_SOURCES` names the sources file. Unset, they point at the embedded
sample and `warehouse/nkwatch.duckdb`.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
SAMPLE_SOURCES = PROJECT_ROOT / "sample" / "sources.yaml"
DEFAULT_WAREHOUSE = PROJECT_ROOT / "warehouse" / "nkwatch.duckdb"
DAGSTER_HOME = PROJECT_ROOT / ".dagster_home"
DAGSTER_INSTANCE_TEMPLATE = Path(__file__).resolve().parent / "dagster.yaml"

WAREHOUSE_ENV = "NKWATCH_WAREHOUSE"
SOURCES_ENV = "NKWATCH_SOURCES"


def warehouse_path() -> Path:
    """The warehouse file in force (environment, else the default)."""
    return Path(os.environ.get(WAREHOUSE_ENV) or DEFAULT_WAREHOUSE).resolve()


def sources_path() -> Path:
    """The sources file in force (environment, else the embedded sample)."""
    return Path(os.environ.get(SOURCES_ENV) or SAMPLE_SOURCES).resolve()
