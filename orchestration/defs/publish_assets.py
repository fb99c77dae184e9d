"""The analysts' read-only copy of the marts, published after every successful build.

It depends on every mart, so a failed model or test stops it and analysts keep the last good
copy. Its metadata says when it was published, up to which article date, and what it holds.
"""

import duckdb

import dagster as dg

from ingest.publish import publish_marts
from orchestration.defs.dbt_assets import nkwatch_dbt_models
from orchestration.defs.ingest_assets import WRITER_POOL
from orchestration.defs.resources import Warehouse

_MARTS = [key for key in nkwatch_dbt_models.keys if nkwatch_dbt_models.group_names_by_key[key] == "marts"]


@dg.asset(
    key="published_marts",
    deps=_MARTS,
    group_name="publish",
    pool=WRITER_POOL,  # reads the warehouse: waits for the writers of other runs
    kinds={"duckdb"},
    description="Read-only copy of the marts for analysts (<warehouse>_public.duckdb), replaced atomically.",
)
def published_marts(context: dg.AssetExecutionContext, warehouse: Warehouse) -> dg.MaterializeResult:
    """Copy the marts into the published file."""
    publication = publish_marts(warehouse.file, run_id=context.run_id)
    con = duckdb.connect(str(publication.path), read_only=True)
    try:
        latest = con.execute("SELECT max(published_date) FROM articles").fetchall()[0][0] \
            if "articles" in publication.rows else None
    finally:
        con.close()
    return dg.MaterializeResult(metadata={
        "path": dg.MetadataValue.path(str(publication.path)),
        "published_at": dg.MetadataValue.timestamp(publication.published_at),
        "latest_article_date": str(latest) if latest else None,
        "row_counts": dg.MetadataValue.json(publication.rows),
    })
