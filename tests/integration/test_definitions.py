"""The Dagster definitions load, and form one lineage from raw landing to the marts."""

from __future__ import annotations

import dagster as dg
import pytest

from orchestration.definitions import defs as load_defs
from orchestration.defs.jobs import FULL_BUILD_JOB
from orchestration.summary import MART_TABLES

MARTS = list(MART_TABLES)
RAW = ["discovered_urls", "fetch_attempts", "pages", "extractions", "articles", "article_annotations",
       "entity_mentions", "claims", "claim_quantities"]


@pytest.fixture(scope="module")
def defs() -> dg.Definitions:
    return load_defs()


def test_raw_and_mart_assets_exist(defs: dg.Definitions) -> None:
    keys = {key.to_user_string() for key in defs.resolve_all_asset_keys()}
    assert {f"raw/{t}" for t in RAW} <= keys
    assert set(MARTS) <= keys


def test_lineage_runs_from_landing_to_marts(defs: dg.Definitions) -> None:
    graph = defs.resolve_asset_graph()
    upstream = graph.get(dg.AssetKey(["staging", "stg_articles"])).parent_keys
    assert dg.AssetKey(["raw", "articles"]) in upstream
    assert dg.AssetKey(["raw", "pages"]) in graph.get(dg.AssetKey(["raw", "articles"])).parent_keys
    ancestors = graph.upstream_key_iterator(dg.AssetKey("claims"))
    assert dg.AssetKey(["raw", "pages"]) in set(ancestors)


def test_dbt_tests_are_asset_checks(defs: dg.Definitions) -> None:
    checks = defs.resolve_asset_graph().asset_check_keys
    names = {(check.asset_key.to_user_string(), check.name) for check in checks}
    assert ("articles", "unique_articles_article_id") in names
    assert any(asset == "claims" and "accepted_values" in name for asset, name in names)


def test_schedule_runs_the_cli_job(defs: dg.Definitions) -> None:
    schedule = defs.resolve_schedule_def("daily_full_build")
    assert schedule.job_name == FULL_BUILD_JOB
    assert schedule.default_status == dg.DefaultScheduleStatus.RUNNING
    assert defs.resolve_job_def(FULL_BUILD_JOB) is not None


def test_models_are_grouped_by_dbt_layer(defs: dg.Definitions) -> None:
    graph = defs.resolve_asset_graph()
    assert graph.get(dg.AssetKey(["staging", "stg_claims"])).group_name == "staging"
    assert graph.get(dg.AssetKey(["intermediate", "int_articles_enriched"])).group_name == "intermediate"
    assert graph.get(dg.AssetKey("daily_coverage")).group_name == "marts"
    assert graph.get(dg.AssetKey(["raw", "pages"])).group_name == "ingest"
