"""Where things are: the project's folders and the two settings users override.

`NKWATCH_WAREHOUSE` names the DuckDB file for both the Dagster resource and dbt's
profiles.yml; `NKWATCH_SOURCES` names the sources file. Unset, they point at the embedded
sample and `warehouse/nkwatch.duckdb`. The WARC inbox and the fetch archive default to
folders beside the warehouse (`NKWATCH_WARC_INBOX`, `NKWATCH_ARCHIVE` override them).
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
INBOX_ENV = "NKWATCH_WARC_INBOX"
ARCHIVE_ENV = "NKWATCH_ARCHIVE"


def warehouse_path() -> Path:
    """The warehouse file in force (environment, else the default)."""
    return Path(os.environ.get(WAREHOUSE_ENV) or DEFAULT_WAREHOUSE).resolve()


def sources_path() -> Path:
    """The sources file in force (environment, else the embedded sample)."""
    return Path(os.environ.get(SOURCES_ENV) or SAMPLE_SOURCES).resolve()


def inbox_path() -> Path:
    """The folder the sensor watches for new WARC files (default: ``inbox/`` beside the warehouse)."""
    return Path(os.environ.get(INBOX_ENV) or warehouse_path().parent / "inbox").resolve()


def archive_path() -> Path:
    """The folder live-fetched responses are archived in (default: ``archive/`` beside the warehouse)."""
    return Path(os.environ.get(ARCHIVE_ENV) or warehouse_path().parent / "archive").resolve()


def ensure_instance_config(home: Path) -> Path:
    """``home``'s dagster.yaml, written from the project's template unless the user already has one."""
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        template = DAGSTER_INSTANCE_TEMPLATE.read_text(encoding="utf-8")
        config.write_text(template.replace("@DAGSTER_HOME@", str(home.resolve())), encoding="utf-8")
    return config
