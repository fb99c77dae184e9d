"""Resources shared by the assets: the warehouse, the sources file and the dbt project."""


from pathlib import Path

import dagster as dg

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


class DbtProjectFiles(dg.ConfigurableResource):
    """Where the dbt project and its profiles.yml are; the dbt assets build it in the run's process."""

    project_dir: str
    profiles_dir: str


@dg.definitions
def resources() -> dg.Definitions:
    return dg.Definitions(
        resources={
            "warehouse": Warehouse(path=str(warehouse_path()), archive_dir=str(archive_path())),
            "sources": Sources(path=str(sources_path())),
            "dbt": DbtProjectFiles(project_dir=str(DBT_PROJECT.project_dir),
                                   profiles_dir=str(DBT_PROJECT.profiles_dir)),
        }
    )
