"""The dbt project as assets: staging, intermediate and mart models, with dbt tests as checks."""


import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, dbt_assets

from ingest.faults import pause_point
from ingest.lock import warehouse_lock
from orchestration.dbt_build import build
from orchestration.dbt_project import DBT_PROJECT
from orchestration.defs.ingest_assets import WRITER_POOL
from orchestration.defs.resources import DbtProjectFiles, Warehouse


class NkwatchDbtTranslator(DagsterDbtTranslator):
    """Groups models by dbt layer (staging, intermediate, marts) so the UI shows the layers.

    Sources keep the default key [raw, <table>], which is the key of the Python asset that
    lands that table, so the lineage runs unbroken from landing to marts.
    """

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        fqn = dbt_resource_props.get("fqn", [])
        if dbt_resource_props.get("resource_type") == "model" and len(fqn) > 2:
            return fqn[1]
        if dbt_resource_props.get("resource_type") == "seed":
            return "reference"
        return super().get_group_name(dbt_resource_props)


def _target_path(warehouse_file: Path) -> Path:
    """dbt's target folder for builds of one warehouse, kept from one build to the next.

    dbt may reuse its parse of the project (partial parsing) only when the profile is
    unchanged, and the profile names the warehouse: a folder per warehouse keeps the last
    parse valid, which saves its ~5 s on every build but the first. Builds of one warehouse
    never overlap (the warehouse lock), so they never share the folder at the same time.
    """
    digest = hashlib.sha256(str(warehouse_file.resolve()).encode()).hexdigest()[:12]
    return DBT_PROJECT.project_dir / "target" / "builds" / digest


TRANSLATOR = NkwatchDbtTranslator()


@dbt_assets(
    manifest=DBT_PROJECT.manifest_path,
    project=DBT_PROJECT,
    dagster_dbt_translator=TRANSLATOR,
    pool=WRITER_POOL,
)
def nkwatch_dbt_models(context: dg.AssetExecutionContext, dbt: DbtProjectFiles, warehouse: Warehouse):
    """Build and test every dbt model; test results appear as asset checks.

    dbt opens the DuckDB file for the whole build, so the warehouse lock is held throughout:
    a concurrent `nkwatch run` waits instead of failing on DuckDB's file lock.
    """
    with warehouse_lock(warehouse.file):
        for event in build(context, TRANSLATOR, project_dir=Path(dbt.project_dir), profiles_dir=Path(dbt.profiles_dir),
                           target_path=_target_path(warehouse.file)):
            yield event
            pause_point("dbt")
