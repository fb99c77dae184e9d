"""dbt builds inside the run's process (orchestration/dbt_build.py): checks recorded, failures loud, file let go."""

from __future__ import annotations

import json
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from orchestration.dbt_project import DBT_PROJECT
from tests.conftest import query, run_nkwatch
from tests.support.marts import mart_differences

pytestmark = pytest.mark.timeout(900)

FAILING_CHECK = "accepted_values_stg_claims_polarity__affirm__deny"


def _check_results(home: Path) -> dict[str, bool]:
    """The latest run's asset check results, by check name: passed or not."""
    with dg.DagsterInstance.from_config(str(home)) as instance:
        run = instance.get_runs(limit=1)[0]
        records = instance.all_logs(run.run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION)
        return {r.dagster_event.event_specific_data.check_name: r.dagster_event.event_specific_data.passed
                for r in records}


def _dbt_tests() -> set[str]:
    manifest = json.loads(Path(DBT_PROJECT.manifest_path).read_text())
    return {node["name"] for node in manifest["nodes"].values() if node["resource_type"] == "test"}


def _set_first_claim_polarity(warehouse: Path, polarity: str) -> str:
    with duckdb.connect(str(warehouse)) as connection:
        first = connection.execute("SELECT min(article_id) FROM raw.claims WHERE claim_index = 0").fetchall()[0][0]
        connection.execute("UPDATE raw.claims SET polarity = ? WHERE article_id = ? AND claim_index = 0",
                           [polarity, first])
    return first


def test_every_dbt_test_is_a_recorded_check_and_a_failing_one_fails_the_run(tmp_path: Path) -> None:
    warehouse, home = tmp_path / "w.duckdb", tmp_path / "dagster"
    first = run_nkwatch("run", "--warehouse", str(warehouse), dagster_home=home)
    assert first.returncode == 0, first.stdout + first.stderr
    results = _check_results(home)
    assert _dbt_tests() <= set(results)  # besides our own checks (landing volume, freshness)
    assert all(results.values())
    good = tmp_path / "good.duckdb"
    good.write_bytes(warehouse.read_bytes())

    article = _set_first_claim_polarity(warehouse, "unsure")
    broken = run_nkwatch("run", "--warehouse", str(warehouse), dagster_home=home)
    assert broken.returncode != 0
    assert "dbt build failed" in broken.stdout + broken.stderr
    assert FAILING_CHECK in broken.stdout + broken.stderr
    results = _check_results(home)
    assert results[FAILING_CHECK] is False
    assert sum(not passed for passed in results.values()) == 1
    # The failed build's downstream models were skipped: the marts still hold the last good build.
    assert query(warehouse, "SELECT count(*) FROM claims WHERE polarity = 'unsure'") == [(0,)]

    _set_first_claim_polarity(warehouse, query(good, "SELECT polarity FROM raw.claims "
                                                     "WHERE article_id = ? AND claim_index = 0", [article])[0][0])
    again = run_nkwatch("run", "--warehouse", str(warehouse), dagster_home=home)
    assert again.returncode == 0, again.stdout + again.stderr
    assert all(_check_results(home).values())
    assert mart_differences(good, warehouse) == {}
