"""Running for real: overlapping runs, a reader on the published copy, kill -9 at every stage, reprocess.

The sources are the embedded sample (WARC) plus a URL list served on loopback, so the run both
reads an archive and fetches live pages (which are archived as WARC).
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from ingest.publish import published_path
from orchestration.runs import PID_TAG
from tests.conftest import NKWATCH, PROJECT_ROOT, run_nkwatch, table_counts
from tests.support.http_server import FixtureServer, Reply

pytestmark = pytest.mark.timeout(1500)

PAGES = PROJECT_ROOT / "sample" / "pages"
HTML = {"Content-Type": "text/html; charset=utf-8"}
LIVE = {"/seoul": "seed003_independent.html", "/kyiv": "seed001_kyivindependent.html",
        "/rates": "offtopic_rnz_ocr.html"}
# Columns that record when something ran, not what it found.
RUN_TIME_COLUMNS = {"extracted_at", "analyzed_at", "discovered_at", "attempted_at", "fetched_at", "counted_at",
                    "updated_at"}


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("sources")
    with FixtureServer({path: Reply(200, HTML, (PAGES / name).read_bytes()) for path, name in LIVE.items()}) as server:
        base = server.url("").rstrip("/")
        (folder / "urls.txt").write_text("".join(f"{base}{path}\n" for path in LIVE))
        file = folder / "sources.yaml"
        file.write_text(
            "sources:\n"
            f"  - {{name: sample, kind: warc, path: '{PROJECT_ROOT / 'sample' / 'nkwatch_sample.warc.gz'}'}}\n"
            "  - {name: pasted, kind: urls, path: urls.txt}\n"
            "allow_private_addresses: true\n"
            "fetch: {retries: 0, per_host_delay: 0}\n"
        )
        yield file


@pytest.fixture(scope="module")
def baseline(sources: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """One uninterrupted run: the counts every other scenario must end with."""
    root = tmp_path_factory.mktemp("baseline")
    warehouse = root / "w.duckdb"
    result = run_nkwatch("run", "--sources", str(sources), "--warehouse", str(warehouse), dagster_home=root / "dh")
    assert result.returncode == 0, result.stdout + result.stderr
    return {"warehouse": warehouse, "counts": table_counts(warehouse), "home": root / "dh"}


def _start(sources: Path, warehouse: Path, home: Path, *args: str, **env: str) -> subprocess.Popen:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("NKWATCH_", "DAGSTER_"))}
    environment.update({"DAGSTER_HOME": str(home), **env})
    return subprocess.Popen([str(NKWATCH), "run", "--sources", str(sources), "--warehouse", str(warehouse), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment,
                            cwd=PROJECT_ROOT, start_new_session=True)


WRITER_STEPS = ("land_pages", "parse_articles", "annotate_articles", "nkwatch_dbt_models", "published_marts")


def _writer_step_spans(home: Path, pids: list[int]) -> list[tuple[float, float, str]]:
    """(start, end, step) of the warehouse_writer steps of the CLI runs with these pids."""
    with dg.DagsterInstance.from_config(str(home)) as instance:
        runs = [r for r in instance.get_runs() if r.tags.get(PID_TAG) in {str(p) for p in pids}]
        spans = []
        for run in runs:
            starts = {}
            for event in instance.all_logs(run.run_id):
                if event.step_key not in WRITER_STEPS or event.dagster_event is None:
                    continue
                if event.dagster_event.event_type_value == "STEP_START":
                    starts[event.step_key] = event.timestamp
                elif event.dagster_event.event_type_value == "STEP_SUCCESS":
                    spans.append((starts[event.step_key], event.timestamp, f"{run.run_id[:8]}:{event.step_key}"))
        return spans


def _marts(warehouse: Path) -> dict[str, list[tuple]]:
    """Every mart's rows, sorted, without run-time columns."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        out = {}
        for (table,) in con.execute("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main'").fetchall():
            columns = [c for (c,) in con.execute(
                "SELECT column_name FROM duckdb_columns() WHERE schema_name = 'main' AND table_name = ?",
                [table]).fetchall() if c not in RUN_TIME_COLUMNS]
            select = ", ".join(f'"{c}"' for c in columns)
            out[table] = sorted(con.execute(f'SELECT {select} FROM main."{table}"').fetchall(), key=repr)
        return out
    finally:
        con.close()


def test_live_pages_are_archived_as_warc(baseline: dict) -> None:
    archives = list((baseline["warehouse"].parent / "archive").rglob("*.warc.gz"))
    assert len(archives) == 1
    from ingest.discover import discover_warc

    urls = {item.url.rsplit("/", 1)[-1] for item in discover_warc(archives[0], "x") if getattr(item, "archived", None)}
    assert urls == {path.strip("/") for path in LIVE}


def test_two_runs_started_together_both_succeed_while_a_reader_holds_the_copy(
        sources: Path, baseline: dict, tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    first = run_nkwatch("run", "--sources", str(sources), "--warehouse", str(warehouse), dagster_home=tmp_path / "dh")
    assert first.returncode == 0, first.stderr
    reader = duckdb.connect(str(published_path(warehouse)), read_only=True)
    articles_before = reader.execute("SELECT count(*) FROM articles").fetchall()
    runs = [_start(sources, warehouse, tmp_path / "dh") for _ in range(2)]
    outputs = [run.communicate(timeout=900) for run in runs]
    for run, (out, err) in zip(runs, outputs):
        assert run.returncode == 0, out + err
    assert reader.execute("SELECT count(*) FROM articles").fetchall() == articles_before  # never disturbed
    reader.close()
    assert table_counts(warehouse) == baseline["counts"]
    spans = sorted(_writer_step_spans(tmp_path / "dh", [run.pid for run in runs]))
    assert len(spans) == 2 * len(WRITER_STEPS)
    assert all(end <= next_start for (_s, end, _k), (next_start, _e, _n) in zip(spans, spans[1:])), spans
    assert _marts(published_path(warehouse)).keys() >= {"articles", "claims", "_publication"}


def test_kill_9_at_every_stage_then_a_clean_rerun(sources: Path, baseline: dict, tmp_path: Path) -> None:
    """Each run is killed at the next stage (so it re-does what the previous kill cut), then one runs clean."""
    warehouse = tmp_path / "w.duckdb"
    for stage in ("fetch", "load", "extract", "annotate", "dbt"):
        marker = tmp_path / f"paused-{stage}"
        run = _start(sources, warehouse, tmp_path / "dh", NKWATCH_TEST_PAUSE_AT=stage,
                     NKWATCH_TEST_PAUSE_MARKER=str(marker))
        deadline = time.monotonic() + 600
        while not marker.exists():
            assert run.poll() is None, (stage, run.communicate())
            assert time.monotonic() < deadline, f"the run never reached {stage}"
            time.sleep(0.2)
        os.killpg(run.pid, signal.SIGKILL)  # the run and its dbt child, mid-stage
        run.wait()
        table_counts(warehouse)  # the file opens: whatever was cut was rolled back
    again = run_nkwatch("run", "--sources", str(sources), "--warehouse", str(warehouse), dagster_home=tmp_path / "dh")
    assert again.returncode == 0, again.stdout + again.stderr
    assert table_counts(warehouse) == baseline["counts"]
    assert _marts(warehouse) == _marts(baseline["warehouse"])


def test_reprocess_produces_identical_marts(baseline: dict, tmp_path: Path) -> None:
    before = _marts(baseline["warehouse"])
    result = run_nkwatch("reprocess", "--warehouse", str(baseline["warehouse"]), dagster_home=baseline["home"])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "cleared" in result.stdout
    assert _marts(baseline["warehouse"]) == before
    assert table_counts(baseline["warehouse"]) == baseline["counts"]
