"""`make bench` end to end on a small corpus: every figure is produced by real runs (not their values)."""

from __future__ import annotations

from pathlib import Path

from bench.corpus import CorpusSpec
from bench.run import benchmark


def test_bench_measures_three_runs_and_the_limits(tmp_path: Path) -> None:
    spec = CorpusSpec(records=300, on_topic_share=0.1, near_miss_share=0.05, seed=3)
    result = benchmark(spec, cache_dir=tmp_path / "cache", work_dir=tmp_path / "work", baseline_records=20)

    assert result["records"] >= spec.records
    assert len(result["raw_scan_passes_records_per_s"]) == len(result["raw_scan_isal_passes_records_per_s"]) == 2
    assert result["raw_scan_records_per_s"] == max(result["raw_scan_passes_records_per_s"])
    assert result["naive_baseline_records_per_s"] > 0 and result["ratio_to_raw_scan"] > 0
    runs = [result["first_run"], result["second_run_1pct_new"], result["third_run_nothing_new"]]
    for run in runs:
        assert run["seconds"] > 0 and run["peak_pss_tree_mb"] > 0
        assert {"land_pages", "parse_articles", "nkwatch_dbt_models", "published_marts"} <= set(run["steps"])
    assert result["second_run_share_of_first"] == round(runs[1]["seconds"] / runs[0]["seconds"], 3)
    # The first run found the on-topic pages; the second read only the new file.
    assert result["corpus"]["kinds"]["on"] > 0 and result["corpus"]["increment_records"] == 3
