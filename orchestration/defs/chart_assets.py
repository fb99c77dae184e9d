"""The daily coverage chart as an asset, drawn after every dbt build.

The PNG is written next to the warehouse (warehouse/nkwatch_coverage.png) for people who never
open the UI, and embedded in the materialization's metadata so the UI shows it.
"""

import base64

import dagster as dg

from ingest.coverage_chart import write_chart
from orchestration.defs.resources import Warehouse

_MARTS = [dg.AssetKey(["daily_coverage"])]


@dg.asset(
    key=dg.AssetKey(["coverage_chart"]),
    deps=_MARTS,
    group_name="reports",
    kinds={"python", "matplotlib"},
    description="Daily coverage chart: articles and unique stories, on-topic share, denials, spikes.",
)
def coverage_chart(context: dg.AssetExecutionContext, warehouse: Warehouse) -> dg.MaterializeResult:
    """Render the chart from daily_coverage into a PNG next to the warehouse."""
    path = write_chart(warehouse.file)
    image = base64.b64encode(path.read_bytes()).decode("ascii")
    context.log.info(f"coverage chart: {path}")
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(path)),
            "chart": dg.MetadataValue.md(f"![daily coverage](data:image/png;base64,{image})"),
            "bytes": dg.MetadataValue.int(len(image) * 3 // 4),
        }
    )
