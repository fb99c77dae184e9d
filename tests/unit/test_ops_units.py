"""Operations building blocks on their own: warehouse lock, publication, inbox, partitions, volume rule, archive."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import time
from datetime import date, datetime, timezone
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from ingest.archive import WarcArchive
from ingest.config import SourcesConfig, SourceSpec
from ingest.discover import discover_warc
from ingest.inbox import ready_warc_files
from ingest.lock import LockTimeout, warehouse_lock
from ingest.publish import publish_marts, published_path
from ingest.records import FetchedPage
from ingest.source_selection import inbox_files, narrow_to_day, one_source_day, only_kinds
from ingest.warehouse import connect
from orchestration.sql_shell import shell
from orchestration.volume import Landed, volume_problems


def _hold_lock(warehouse: Path, seconds: float) -> subprocess.Popen:
    code = ("import sys, time; from ingest.lock import warehouse_lock\n"
            f"with warehouse_lock({str(warehouse)!r}):\n    print('held', flush=True); time.sleep({seconds})")
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    return holder


def test_lock_makes_another_process_wait_then_lets_it_in(tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    holder = _hold_lock(warehouse, 1.0)
    with pytest.raises(LockTimeout):
        with warehouse_lock(warehouse, timeout=0.2):
            pass
    started = time.monotonic()
    with warehouse_lock(warehouse, timeout=30), connect(warehouse) as con:  # re-entrant within the process
        con.execute("CREATE TABLE t AS SELECT 1 AS x")
    assert time.monotonic() - started > 0.3
    holder.wait()


def test_a_killed_holder_releases_the_lock(tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    holder = _hold_lock(warehouse, 60)
    holder.kill()
    holder.wait()
    with warehouse_lock(warehouse, timeout=2):
        pass


def _warehouse_with(path: Path, rows: int) -> None:
    with connect(path) as con:
        con.execute(f"CREATE OR REPLACE TABLE main.articles AS SELECT range AS n, DATE '2024-10-10' AS published_date "
                    f"FROM range({rows})")


def test_publication_is_atomic_and_never_blocked_by_a_reader(tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    _warehouse_with(warehouse, 3)
    first = publish_marts(warehouse, run_id="one")
    assert first.path == published_path(warehouse) and first.rows == {"articles": 3}
    reader = duckdb.connect(str(first.path), read_only=True)  # an analyst's session stays open
    _warehouse_with(warehouse, 5)
    with connect(warehouse):  # the warehouse itself is writable while the reader holds the copy
        pass
    second = publish_marts(warehouse, run_id="two")
    assert reader.execute("SELECT count(*) FROM articles").fetchall() == [(3,)]  # the old copy, whole
    reader.close()
    fresh = duckdb.connect(str(second.path), read_only=True)
    assert fresh.execute("SELECT count(*), any_value(run_id) FROM articles, _publication").fetchall() == [(5, "two")]
    fresh.close()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_sql_shell_reads_statements_and_follows_new_publications(tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    _warehouse_with(warehouse, 2)
    publish_marts(warehouse)

    class Lines(io.StringIO):
        """Publishes a new copy after the first statement has run."""

        def readline(self, *args: object) -> str:
            line = super().readline()
            if line.startswith("SELECT 'again'"):
                _warehouse_with(warehouse, 7)
                publish_marts(warehouse)
            return line

    out = io.StringIO()
    status = shell(published_path(warehouse), Lines("SELECT count(*) AS n\nFROM articles;\nSELECT 'again';\n"
                                                     "SELECT count(*) AS m FROM articles;\nSELECT nope;\n"), out)
    before, after = out.getvalue().split("again", 1)
    assert status == 1 and "Error" in after
    assert re.search(r"│\s+2\s+│", before) and re.search(r"│\s+7\s+│", after)


def test_inbox_waits_until_a_file_settles(tmp_path: Path) -> None:
    (tmp_path / "a.warc.gz").write_bytes(b"x")
    (tmp_path / ".partial.warc.gz").write_bytes(b"x")
    (tmp_path / "notes.txt").write_text("x")
    assert ready_warc_files(tmp_path, settle_seconds=60) == []
    ready = ready_warc_files(tmp_path, settle_seconds=60, now=time.time() + 120)
    assert [f.path.name for f in ready] == ["a.warc.gz"]
    os.utime(tmp_path / "a.warc.gz", (1, 1))
    assert ready_warc_files(tmp_path, settle_seconds=60)[0].key != ready[0].key


def test_a_partition_narrows_its_source_to_one_day(tmp_path: Path) -> None:
    gdelt = SourceSpec(name="api", kind="gdelt", query="q", start=datetime(2024, 1, 1, tzinfo=timezone.utc),
                       end=datetime(2024, 12, 1, tzinfo=timezone.utc))
    ccnews = SourceSpec(name="cc", kind="ccnews", start=date(2024, 1, 1), end=date(2024, 12, 1))
    feed = SourceSpec(name="feed", kind="rss", url="https://example.org/rss")
    config = SourcesConfig(file=tmp_path / "s.yaml", sources=(gdelt, ccnews, feed))
    day = date(2024, 10, 9)
    assert narrow_to_day(ccnews, day).start == narrow_to_day(ccnews, day).end == day
    narrowed = one_source_day(config, "api", day).sources
    assert [(s.start.isoformat(), s.end.isoformat()) for s in narrowed] == [
        ("2024-10-09T00:00:00+00:00", "2024-10-10T00:00:00+00:00")]
    with pytest.raises(ValueError):
        narrow_to_day(feed, day)
    assert [s.name for s in only_kinds(config, ["rss", "sitemap"]).sources] == ["feed"]
    assert [s.kind for s in inbox_files(config, [tmp_path / "x.warc.gz"]).sources] == ["warc"]


def test_volume_rule_flags_drops_and_failure_jumps_only_against_history() -> None:
    usual = [Landed(100, 5)] * 5
    assert volume_problems(Landed(0, 0), usual[:2]) == []  # too little history to judge
    assert volume_problems(Landed(90, 6), usual) == []
    assert "dropped" in volume_problems(Landed(10, 1), usual)[0]
    assert "failure rate" in volume_problems(Landed(40, 60), usual)[-1]
    assert volume_problems(Landed(0, 0), [Landed(3, 0)] * 5) == []  # a quiet source is not an alarm


def test_archived_pages_read_back_as_the_same_pages(tmp_path: Path) -> None:
    archive = WarcArchive(tmp_path, "run-1")
    pages = [FetchedPage(source_name="s", url=f"https://example.org/{n}", final_url=f"https://example.org/{n}",
                         fetched_at=datetime(2024, 10, 9, 12, tzinfo=timezone.utc), http_status=200,
                         content_type="text/html", body=f"<html><p>page {n}</p></html>".encode(), charset="utf-8")
             for n in range(3)]
    for page in pages:
        archive.write(page)
    archive.close()
    assert archive.path is not None and archive.path.name == "run-1.warc.gz" and archive.records == 3
    back = [item.archived for item in discover_warc(archive.path, "s") if getattr(item, "archived", None)]
    assert [(p.url, p.body, p.charset, p.fetched_at) for p in back] == [
        (p.url, p.body, p.charset, p.fetched_at) for p in pages]


def test_schedules_and_sensors_are_defined_and_on() -> None:
    from orchestration.definitions import defs

    definitions = defs()
    frequent = definitions.resolve_schedule_def("frequent_discovery")
    assert frequent.job_name == "discover_fetch" and frequent.cron_schedule == "*/30 * * * *"
    assert frequent.default_status == dg.DefaultScheduleStatus.RUNNING
    for name in ("warc_inbox", "freshness_checks_sensor"):
        assert definitions.resolve_sensor_def(name).default_status == dg.DefaultSensorStatus.RUNNING
    graph = definitions.resolve_asset_graph()
    checks = {(key.asset_key.to_user_string(), key.name) for key in graph.asset_check_keys}
    assert ("raw/pages", "landing_volume") in checks
    assert any(asset == "daily_coverage" and "freshness" in name for asset, name in checks)
    assert graph.get(dg.AssetKey("published_marts")).parent_keys >= {dg.AssetKey("articles"), dg.AssetKey("claims")}
    assert graph.get(dg.AssetKey(["raw", "source_days"])).partitions_def is not None


def test_inbox_sensor_requests_one_run_per_new_batch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from orchestration.defs.automation import warc_inbox

    monkeypatch.setenv("NKWATCH_WARC_INBOX", str(tmp_path))
    monkeypatch.setenv("NKWATCH_INBOX_SETTLE_SECONDS", "0")
    (tmp_path / "day1.warc.gz").write_bytes(b"x")
    with dg.build_sensor_context() as context:
        first = warc_inbox(context)
    assert len(first.run_requests) == 1
    files = first.run_requests[0].run_config["ops"]["land_pages"]["config"]["warc_files"]
    assert files == [str(tmp_path / "day1.warc.gz")]
    with dg.build_sensor_context(cursor=first.cursor) as context:
        assert not warc_inbox(context).run_requests
    (tmp_path / "day2.warc").write_bytes(b"y")
    with dg.build_sensor_context(cursor=first.cursor) as context:
        second = warc_inbox(context)
    assert second.run_requests[0].run_config["ops"]["land_pages"]["config"]["warc_files"] == [
        str(tmp_path / "day2.warc")]
