"""Parallel landing: WARC sources landed at once by separate processes into a landing folder,
loaded by one writer, give the same warehouse as one sequential landing."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path

from bench.corpus import CorpusSpec, write_warc
from ingest.config import SourcesConfig, load_sources
from ingest.land import land_sources
from ingest.landing import load_landed
from tests.conftest import query, run_nkwatch
from tests.support.marts import mart_differences

SPEC = CorpusSpec(records=60, on_topic_share=0.3, near_miss_share=0.05, seed=9)
PARTS = 3


def _land_one(config: SourcesConfig, index: int, warehouse: Path, landing_dir: Path) -> int:
    """One landing run, in its own process, of one source only."""
    one = replace(config, sources=(config.sources[index],))
    return land_sources(one, warehouse, one.fetch_options(), landing_dir=landing_dir).pages


def test_concurrent_landing_then_one_loader_equals_a_sequential_run(tmp_path: Path) -> None:
    size = SPEC.records // PARTS
    entries = []
    for part in range(PARTS):  # three archives, e.g. three CC-NEWS days, as three sources
        write_warc(tmp_path / f"part{part}.warc.gz", SPEC, part * size, size, workers=1)
        entries.append(f"  - name: day{part}\n    kind: warc\n    path: part{part}.warc.gz\n")
    sources = tmp_path / "sources.yaml"
    sources.write_text("sources:\n" + "".join(entries), encoding="utf-8")
    config = load_sources(sources)

    parallel, landing = tmp_path / "parallel.duckdb", tmp_path / "landing"
    with ProcessPoolExecutor(PARTS) as pool:
        landed = list(pool.map(_land_one, [config] * PARTS, range(PARTS), [parallel] * PARTS, [landing] * PARTS))
    assert all(landed) and not parallel.exists()  # nobody wrote the warehouse meanwhile
    loaded = load_landed(parallel, landing)
    assert loaded["pages"] == sum(landed) and not list(landing.rglob("*.parquet"))
    assert query(parallel, "SELECT count(*) FROM raw.archive_files")[0][0] == PARTS

    # The rest of the pipeline on both warehouses; the landed archives are known, so not read again.
    sequential = tmp_path / "sequential.duckdb"
    for warehouse, home in ((parallel, "home_p"), (sequential, "home_s")):
        result = run_nkwatch("run", "--sources", str(sources), "--warehouse", str(warehouse),
                             dagster_home=tmp_path / home)
        assert result.returncode == 0, result.stderr
    assert query(parallel, "SELECT sum(records_seen) FROM raw.pages_seen") == [(SPEC.records // PARTS * PARTS,)]
    raw_pages = "SELECT page_id, url, body FROM raw.pages ORDER BY page_id"
    assert query(parallel, raw_pages) == query(sequential, raw_pages)
    # Pages that are not articles are dated by when they were extracted, in either run.
    assert mart_differences(parallel, sequential, ignore={"attempted_at"}) == {}
