"""`make bench`: the pipeline's throughput on a synthetic corpus, next to the machine's limit.

Builds (or reuses) the corpus, measures the raw scan (warcio reading and decompressing every
record, the faster of two passes: no pipeline can be faster), a naive baseline (trafilatura on
every record of a slice, one process), then runs `nkwatch run` on a sources file whose only
source is the corpus's folder, into a fresh warehouse and Dagster home; then drops a second WARC
of 1 % new records into that folder, as new CC-NEWS files arrive, and runs again; then once more
with nothing new (the fixed cost of a run). Prints and writes JSON.

    python -m bench.run [--records N] [--on-topic-share S] [--near-miss-share S] [--seed K]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import trafilatura
from warcio.archiveiterator import ArchiveIterator

from bench.corpus import CACHE_DIR, Corpus, CorpusSpec, build_corpus, describe
from bench.memory import PeakTreeMemory
from ingest.discover.warc import StrictGzipReader

ROOT = Path(__file__).resolve().parents[1]
WORK_DIR = Path(__file__).resolve().parent / ".work"
RESULTS_DIR = Path(__file__).resolve().parent / "results"
NKWATCH = Path(sys.executable).with_name("nkwatch")
BASELINE_RECORDS = 3000
_RECORD_STAGES = ("land_pages", "parse_articles", "annotate_articles", "link_near_duplicates")


def raw_scan(paths: list[Path], *, isal: bool = False) -> tuple[int, float]:
    """Records in ``paths`` and the seconds warcio needs to read and decompress all of them (one core).

    With ``isal``, warcio reads through the pipeline's own decompressor (ISA-L), which is faster
    than warcio's zlib: the limit for this pipeline, next to the stock one.
    """
    records, start = 0, time.perf_counter()
    for path in paths:
        with path.open("rb") as handle:
            for record in ArchiveIterator(StrictGzipReader(handle) if isal else handle):
                while record.raw_stream.read(1 << 16):
                    pass
                records += 1
    return records, time.perf_counter() - start


def scan_passes(paths: list[Path], *, isal: bool = False, passes: int = 2) -> tuple[int, list[float]]:
    """``raw_scan`` repeated: records, and each pass's seconds.

    The pipeline's runs come after the scans and read the file from the page cache; the first
    pass may have read it from disk. The fastest pass is the limit they are compared with.
    """
    results = [raw_scan(paths, isal=isal) for _ in range(passes)]
    return results[0][0], [seconds for _records, seconds in results]


def naive_baseline(path: Path, limit: int = BASELINE_RECORDS) -> tuple[int, float]:
    """Plain trafilatura on every response record of the first ``limit``, one process: records and seconds."""
    records, start = 0, time.perf_counter()
    with path.open("rb") as handle:
        for record in ArchiveIterator(handle):
            if record.rec_type != "response":
                continue
            trafilatura.extract(record.content_stream().read())
            records += 1
            if records >= limit:
                break
    return records, time.perf_counter() - start


def _step_seconds(dagster_home: Path) -> dict[str, float]:
    """How long each step of the latest run took, from the Dagster instance the run recorded in."""
    with dg.DagsterInstance.from_config(str(dagster_home)) as instance:
        run = instance.get_runs(limit=1)[0]
        return {s.step_key: round(s.end_time - s.start_time, 2)
                for s in instance.get_run_step_stats(run.run_id) if s.end_time and s.start_time}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_pipeline(sources: Path, warehouse: Path, dagster_home: Path) -> dict[str, object]:
    """One `nkwatch run` in a subprocess: seconds, CPU seconds and peak memory (PSS) of its tree, each step's seconds."""
    cpu = _children_cpu()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NKWATCH_", "DAGSTER_"))}
    env.update(DAGSTER_HOME=str(dagster_home), PATH=f"{NKWATCH.parent}{os.pathsep}{env.get('PATH', '')}")
    start = time.perf_counter()
    process = subprocess.Popen([str(NKWATCH), "run", "--sources", str(sources), "--warehouse", str(warehouse)],
                               cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    memory = PeakTreeMemory(process.pid)
    output, _ = process.communicate()
    seconds = time.perf_counter() - start
    peak_kb = memory.stop()
    if process.returncode != 0:
        raise SystemExit(f"nkwatch run failed ({process.returncode}):\n{output}")
    return {"seconds": round(seconds, 2), "cpu_seconds": round(_children_cpu() - cpu, 2),
            "peak_pss_tree_mb": round(peak_kb / 1024, 1),
            "peak_pss_by_process_mb": {name: round(kb / 1024, 1) for name, kb in
                                       sorted(memory.peak_by_name.items(), key=lambda item: -item[1])[:5]},
            "steps": _step_seconds(dagster_home)}


def _fresh_workspace(corpus: Corpus, work_dir: Path) -> tuple[Path, Path, Path, Path]:
    """A new folder with the corpus's main file (hard-linked), a sources file, warehouse and Dagster home."""
    work = work_dir / corpus.spec.key
    shutil.rmtree(work, ignore_errors=True)
    inbox = work / "ccnews"
    inbox.mkdir(parents=True)
    os.link(corpus.main, inbox / corpus.main.name)
    sources = work / "sources.yaml"
    sources.write_text(f"sources:\n  - name: bench\n    kind: warc\n    path: {inbox}\n", encoding="utf-8")
    return inbox, sources, work / "warehouse.duckdb", work / "dagster_home"


def benchmark(spec: CorpusSpec, *, cache_dir: Path = CACHE_DIR, work_dir: Path = WORK_DIR,
              baseline_records: int = BASELINE_RECORDS) -> dict[str, object]:
    """Every figure of the benchmark for one corpus (built in ``cache_dir``, run in ``work_dir``)."""
    corpus = build_corpus(spec, cache_dir)
    inbox, sources, warehouse, dagster_home = _fresh_workspace(corpus, work_dir)
    records, warcio_passes = scan_passes([corpus.main])
    _, isal_scan_passes = scan_passes([corpus.main], isal=True)
    scan_seconds, isal_scan_seconds = min(warcio_passes), min(isal_scan_passes)
    baseline_records, baseline_seconds = naive_baseline(corpus.main, baseline_records)
    first = run_pipeline(sources, warehouse, dagster_home)
    os.link(corpus.increment, inbox / corpus.increment.name)
    second = run_pipeline(sources, warehouse, dagster_home)
    unchanged = run_pipeline(sources, warehouse, dagster_home)
    end_to_end = records / first["seconds"]
    scan_rate = records / scan_seconds
    baseline_rate = baseline_records / baseline_seconds
    return {
        "cores": os.cpu_count(),
        "load_average_at_end": [round(load, 2) for load in os.getloadavg()],
        "corpus": describe(corpus),
        "records": records,
        "end_to_end_records_per_s": round(end_to_end, 1),
        "raw_scan_records_per_s": round(scan_rate, 1),
        "raw_scan_passes_records_per_s": [round(records / seconds, 1) for seconds in warcio_passes],
        "ratio_to_raw_scan": round(end_to_end / scan_rate, 3),
        "raw_scan_isal_records_per_s": round(records / isal_scan_seconds, 1),
        "raw_scan_isal_passes_records_per_s": [round(records / seconds, 1) for seconds in isal_scan_passes],
        "ratio_to_raw_scan_isal": round(end_to_end * isal_scan_seconds / records, 3),
        # Landing, extraction, NLP and linking only: the part of a run that grows with the records.
        "record_stages_records_per_s": round(records / sum(first["steps"].get(step, 0.0) for step in _RECORD_STAGES), 1),
        "naive_baseline_records_per_s": round(baseline_rate, 2),
        "speedup_over_naive": round(end_to_end / baseline_rate, 1),
        "first_run": first,
        "second_run_1pct_new": second,
        "second_run_share_of_first": round(second["seconds"] / first["seconds"], 3),
        # Nothing new: what every run pays whatever the data (start-up, dbt's build and tests,
        # Dagster's bookkeeping); the second run's excess over it is what its new records cost.
        "third_run_nothing_new": unchanged,
        "second_run_excess_over_nothing_new_s": round(second["seconds"] - unchanged["seconds"], 2),
        "peak_pss_tree_mb": max(run["peak_pss_tree_mb"] for run in (first, second, unchanged)),
        "peak_rss_largest_process_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=CorpusSpec.records)
    parser.add_argument("--on-topic-share", type=float, default=CorpusSpec.on_topic_share)
    parser.add_argument("--near-miss-share", type=float, default=CorpusSpec.near_miss_share)
    parser.add_argument("--seed", type=int, default=CorpusSpec.seed)
    args = parser.parse_args(argv)
    spec = CorpusSpec(args.records, args.on_topic_share, args.near_miss_share, args.seed)
    result = benchmark(spec)
    RESULTS_DIR.mkdir(exist_ok=True)
    output = RESULTS_DIR / f"{spec.key}.json"
    output.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))
    print(f"written to {output}")


if __name__ == "__main__":
    main()
