"""The issue-4 scoring on the pipeline's own marts: the sample built by the real CLI, read back
from `articles`, `entity_mentions`/`entities`, `claims` and `claim_quantities`."""

from __future__ import annotations

import pytest

from ingest.nlp.evaluate import evaluate_marts
from tests.conftest import run_nkwatch

pytestmark = pytest.mark.timeout(900)


@pytest.fixture(scope="module")
def scores(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, float]]:
    root = tmp_path_factory.mktemp("nlp-eval")
    warehouse = root / "nkwatch.duckdb"
    done = run_nkwatch("run", "--warehouse", str(warehouse), dagster_home=root / "dagster")
    assert done.returncode == 0, done.stdout + done.stderr
    return evaluate_marts(warehouse)


def test_every_seed_is_scored_from_the_marts(scores: dict) -> None:
    seeds = [name for name in scores if name != "overall"]
    assert len(seeds) == 5
    assert all(scores[name]["claim_r"] > 0 and scores[name]["entity_r"] > 0 for name in seeds)


def test_marts_meet_the_floors(scores: dict) -> None:
    # measured: entity F1 1.000, claim F1 0.994, polarity 1.000, certainty 1.000 (issue targets .90/.85/.95/.85)
    overall = scores["overall"]
    assert overall["entity_f1"] >= 0.95
    assert overall["claim_f1"] >= 0.95
    assert overall["polarity_acc"] >= 0.95
    assert overall["certainty_acc"] >= 0.95
    assert overall["quote_acc"] >= 0.9 and overall["cited_source_acc"] >= 0.9
    assert overall["quantity_p"] >= 0.9 and overall["quantity_r"] >= 0.9
