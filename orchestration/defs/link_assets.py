"""Near-duplicate links as an asset: syndicated copies of articles, repeated claim propositions.

dbt groups the links into stories and claim clusters; this asset only finds them, for new or
changed articles and claims (``ingest.similarity``).
"""

import dagster as dg

from ingest.claim_spread import CLAIMS
from ingest.similarity import link_pending
from ingest.syndication import ARTICLES
from orchestration.defs.ingest_assets import WRITER_POOL, WorkersConfig, _results, _spec
from orchestration.defs.resources import Warehouse

_TABLES = ["similarity_signatures", "similarity_links"]
_INPUTS = [dg.AssetKey(["raw", "articles"]), dg.AssetKey(["raw", "claims"])]


@dg.multi_asset(
    name="link_near_duplicates",
    specs=[
        _spec("similarity_signatures", "MinHash signature of every article text and claim proposition.", _INPUTS),
        _spec("similarity_links", "Pairs of near-duplicate articles (copies) and claims (same proposition).", _INPUTS),
    ],
    pool=WRITER_POOL,
)
def link_near_duplicates(context: dg.AssetExecutionContext, config: WorkersConfig, warehouse: Warehouse):
    """Sign new articles and claims and link each to its near-duplicates."""
    metadata: dict[str, object] = {}
    for corpus in (ARTICLES, CLAIMS):
        metadata.update(link_pending(warehouse.file, corpus, workers=config.count()).as_metadata())
    context.log.info(f"near-duplicate links: {metadata}")
    yield from _results(warehouse, _TABLES, metadata)
