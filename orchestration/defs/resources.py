"""Resources shared by the assets: the warehouse, the sources file and the dbt CLI."""


import importlib.metadata
import sys
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource
from packaging import version

from ingest.config import SourcesConfig, load_sources
from orchestration.dbt_project import DBT_PROJECT
from orchestration.settings import archive_path, sources_path, warehouse_path


class Warehouse(dg.ConfigurableResource):
    """The DuckDB warehouse file (the same file dbt's profile opens) and the archive of fetched pages."""

    path: str
    archive_dir: str

    @property
    def file(self) -> Path:
        return Path(self.path)

    @property
    def archive(self) -> Path:
        return Path(self.archive_dir)


class Sources(dg.ConfigurableResource):
    """The sources file; validated each time a run reads it."""

    path: str

    def load(self) -> SourcesConfig:
        return load_sources(self.path)


class DbtCli(DbtCliResource):
    """dbt's CLI (this environment's dbt) without two start-up costs dagster-dbt pays per build.

    Before each build dagster-dbt runs ``dbt --version`` to learn the version, and loads dbt's
    profile, project and adapter into the run's process; the adapter only serves row counts and
    column metadata, which these assets do not fetch. Together ~4 s and ~100 MB a build. The
    version is that of the installed dbt-core, which is the executable's. (These are dagster-dbt
    0.29 hooks; uv.lock pins it, and tests/integration build through this resource.)
    """

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(importlib.metadata.version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args: Sequence[str]) -> None:  # type: ignore[override]
        return None


@dg.definitions
def resources() -> dg.Definitions:
    return dg.Definitions(
        resources={
            "warehouse": Warehouse(path=str(warehouse_path()), archive_dir=str(archive_path())),
            "sources": Sources(path=str(sources_path())),
            # The venv's dbt, whether or not the venv is activated.
            "dbt": DbtCli(project_dir=DBT_PROJECT, dbt_executable=str(Path(sys.prefix) / "bin" / "dbt")),
        }
    )
