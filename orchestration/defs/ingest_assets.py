"""The Python stages as assets: land pages, extract articles, annotate them.

Each asset calls one `ingest` stage and reports row counts and failures as metadata; the
stages themselves decide what is new, so a re-run only does the new work.
"""


import os

import dagster as dg

from ingest.annotate import annotate_pending
from ingest.archive import WarcArchive
from ingest.config import SourcesConfig
from ingest.land import LandingReport, land_sources
from ingest.parse import parse_pending
from ingest.source_selection import inbox_files, only_kinds
from ingest.warehouse import raw_row_counts
from orchestration.defs.resources import Sources, Warehouse
from orchestration.partitions import register_dated_sources

WRITER_POOL = "warehouse_writer"
GROUP = "ingest"


def _spec(table: str, description: str, deps: list[dg.AssetKey] | None = None) -> dg.AssetSpec:
    return dg.AssetSpec(
        key=dg.AssetKey(["raw", table]),
        description=description,
        group_name=GROUP,
        deps=deps or [],
        kinds={"python", "duckdb"},
    )


def _results(warehouse: Warehouse, tables: list[str], metadata: dict[str, object]):
    counts = raw_row_counts(warehouse.file, tables)
    for table in tables:
        yield dg.MaterializeResult(
            asset_key=dg.AssetKey(["raw", table]),
            metadata={"row_count": dg.MetadataValue.int(counts[table]), **metadata},
        )


class LandConfig(dg.Config):
    """Options of a landing run: which sources it reads (all by default) and whether to fetch again."""

    refetch: bool = False
    kinds: list[str] = []  # only sources of these kinds (the frequent schedule: rss, sitemap)
    warc_files: list[str] = []  # these WARC files instead of the sources file's entries (the inbox sensor)

    def select(self, config: SourcesConfig) -> SourcesConfig:
        return inbox_files(config, self.warc_files) if self.warc_files else only_kinds(config, self.kinds)


def land(context: dg.AssetExecutionContext, config: LandConfig, sources_config: SourcesConfig,
         warehouse: Warehouse) -> LandingReport:
    """Land the sources, archiving live-fetched pages in this run's WARC."""
    archive = WarcArchive(warehouse.archive, context.run_id)
    try:
        report = land_sources(sources_config, warehouse.file, sources_config.fetch_options(),
                              refetch=config.refetch, archive=archive, workers=os.cpu_count() or 1)
    finally:
        archive.close()
    context.log.info(f"landing: {report.as_metadata()}" + (f"; archived in {archive.path}" if archive.path else ""))
    return report


class WorkersConfig(dg.Config):
    """How many processes CPU-bound stages use (0: one per core)."""

    workers: int = 0

    def count(self) -> int:
        return self.workers or os.cpu_count() or 1


_PAGES = dg.AssetKey(["raw", "pages"])
SOURCE_DAYS_KEY = dg.AssetKey(["raw", "source_days"])  # the partitioned landing of dated sources
_ARTICLES = dg.AssetKey(["raw", "articles"])


@dg.multi_asset(
    name="land_pages",
    specs=[
        _spec("discovered_urls", "URLs every source pointed to (feeds, URL lists, WARC records)."),
        _spec("fetch_attempts", "Every fetch attempt or archived record read, with its outcome and reason."),
        _spec("pages", "Fetched HTML pages with their raw bodies."),
        _spec("pages_seen", "Archive records read per source, archive and day, and how many the pre-filter dropped."),
        _spec("feed_state", "HTTP validators of feeds and sitemaps, so an unchanged one costs a 304 next run."),
    ],
    pool=WRITER_POOL,
)
def land_pages(context: dg.AssetExecutionContext, config: LandConfig, sources: Sources, warehouse: Warehouse):
    """Discover every source's URLs, fetch the new ones, land pages and failures."""
    sources_config = sources.load()
    register_dated_sources(context.instance, sources_config)
    report = land(context, config, config.select(sources_config), warehouse)
    yield from _results(warehouse, ["discovered_urls", "fetch_attempts", "pages", "pages_seen", "feed_state"],
                        report.as_metadata())


@dg.multi_asset(
    name="parse_articles",
    specs=[
        _spec("extractions", "One row per page and extractor version: ok, or why it is not an article.",
              [_PAGES, SOURCE_DAYS_KEY]),
        _spec("articles", "Main text and metadata extracted from the pages (trafilatura plus page metadata).",
              [_PAGES, SOURCE_DAYS_KEY]),
    ],
    pool=WRITER_POOL,
)
def parse_articles(context: dg.AssetExecutionContext, config: WorkersConfig, warehouse: Warehouse):
    """Extract main text and metadata from every page not yet extracted."""
    report = parse_pending(warehouse.file, workers=config.count())
    context.log.info(f"extraction: {report.as_metadata()}")
    yield from _results(warehouse, ["extractions", "articles"], report.as_metadata())


@dg.multi_asset(
    name="annotate_articles",
    specs=[
        _spec("article_annotations", "Topic relevance of every article.", [_ARTICLES]),
        _spec("entity_mentions", "People, organisations and places mentioned in the articles.", [_ARTICLES]),
        _spec("claims", "Who claimed or denied what, per sentence.", [_ARTICLES]),
        _spec("claim_quantities", "Numbers stated in claims.", [_ARTICLES]),
    ],
    pool=WRITER_POOL,
)
def annotate_articles(
    context: dg.AssetExecutionContext, config: WorkersConfig, sources: Sources, warehouse: Warehouse
):
    """Find entities, claims and topic relevance in every article not yet annotated."""
    report = annotate_pending(warehouse.file, sources.load().topic, workers=config.count())
    context.log.info(f"annotation: {report.as_metadata()}")
    yield from _results(
        warehouse, ["article_annotations", "entity_mentions", "claims", "claim_quantities"], report.as_metadata()
    )
