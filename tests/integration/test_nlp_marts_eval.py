"""The issue-4 scoring on the pipeline's own marts: the sample built by the real CLI, read back
from `articles`, `entity_mentions`/`entities`, `claims` and `claim_quantities`."""

from __future__ import annotations

import pytest

from ingest.nlp.evaluate import evaluate_marts
from ingest.nlp.mart_predictions import build_sample_warehouse

pytestmark = pytest.mark.timeout(900)


@pytest.fixture(scope="module")
def scores(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, float]]:
    """What `make eval` does: the sample built by `nkwatch run` in its own Dagster home, then scored."""
    return evaluate_marts(build_sample_warehouse(tmp_path_factory.mktemp("nlp-eval")))


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
