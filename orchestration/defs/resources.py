"""Resources shared by the assets: the warehouse, the sources file and the dbt CLI."""


import sys
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource

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


@dg.definitions
def resources() -> dg.Definitions:
    return dg.Definitions(
        resources={
            "warehouse": Warehouse(path=str(warehouse_path()), archive_dir=str(archive_path())),
            "sources": Sources(path=str(sources_path())),
            # The venv's dbt, whether or not the venv is activated.
            "dbt": DbtCliResource(project_dir=DBT_PROJECT, dbt_executable=str(Path(sys.prefix) / "bin" / "dbt")),
        }
    )
