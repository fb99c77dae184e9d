"""The instance's event log (orchestration/event_log.py): open connections, shared file, forks."""

from __future__ import annotations

import multiprocessing
import sqlite3
from pathlib import Path

import dagster as dg

from orchestration.event_log import PooledSqliteEventLogStorage
from orchestration.settings import ensure_instance_config


@dg.asset
def tally() -> int:
    return 1


def _materialize_with(instance: dg.DagsterInstance) -> None:
    assert dg.materialize([tally], instance=instance).success


def _materializations(instance: dg.DagsterInstance) -> int:
    return len(instance.fetch_materializations(tally.key, limit=100).records)


def test_runs_recorded_through_open_connections_are_seen_by_other_instances_and_forks(tmp_path: Path) -> None:
    home = tmp_path / "dagster_home"
    ensure_instance_config(home)
    with dg.DagsterInstance.from_config(str(home)) as writer:
        assert isinstance(writer.event_log_storage, PooledSqliteEventLogStorage)
        assert dg.materialize([tally], instance=writer).success
        assert dg.materialize([tally], instance=writer).success
        # A forked child writes through the storage object it inherited (with connections of its own).
        child = multiprocessing.get_context("fork").Process(target=_materialize_with, args=(writer,))
        child.start()
        child.join(60)
        if child.exitcode is None:  # a hung child must fail this test, not hang the session's exit
            child.kill()
            child.join()
        assert child.exitcode == 0
        assert dg.materialize([tally], instance=writer).success
        assert _materializations(writer) == 4

    with dg.DagsterInstance.from_config(str(home)) as reader:
        assert _materializations(reader) == 4
        runs = reader.get_runs()
        assert len(runs) == 4
        assert all(run.status == dg.DagsterRunStatus.SUCCESS for run in runs)

    with sqlite3.connect(home / "event_log.db") as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
