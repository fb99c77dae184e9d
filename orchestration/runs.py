"""Executing a job from the CLI in this process, recorded in the Dagster instance the UI shows.

CLI runs use `execute_in_process`, which claims the `warehouse_writer` pool slots like queued
runs do. A CLI process killed with `kill -9` would keep its slots (and its run "started")
forever, so every CLI run is tagged with its host and pid, and the next CLI run first marks
such orphans failed and frees their slots.
"""

from __future__ import annotations

import contextlib
import os
import socket
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import dagster as dg

HOST_TAG = "nkwatch/host"
PID_TAG = "nkwatch/pid"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def reap_orphaned_runs(instance: dg.DagsterInstance) -> list[str]:
    """Fail the CLI runs of this host whose process is gone, and free their pool slots."""
    running = instance.get_runs(filters=dg.RunsFilter(
        statuses=[dg.DagsterRunStatus.STARTED, dg.DagsterRunStatus.STARTING],
        tags={HOST_TAG: socket.gethostname()},
    ))
    reaped = []
    for run in running:
        pid = int(run.tags.get(PID_TAG, "0"))
        if pid and pid != os.getpid() and not _alive(pid):
            instance.report_run_failed(run, f"the nkwatch process (pid {pid}) ended without finishing the run")
            instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)
            reaped.append(run.run_id)
    return reaped


def execute(job_name: str, *, run_config: Mapping[str, Any] | None = None, partition_key: str | None = None,
            verbose: bool = False, log_file: Path | None = None) -> dg.ExecuteInProcessResult:
    """Run one job of the definitions in this process; step output goes to ``log_file`` unless verbose."""
    from orchestration.definitions import defs

    job = defs().resolve_job_def(job_name)
    config = {**(run_config or {}),
              "loggers": {"console": {"config": {"log_level": "DEBUG" if verbose else "CRITICAL"}}}}
    tags = {HOST_TAG: socket.gethostname(), PID_TAG: str(os.getpid())}
    with dg.DagsterInstance.get() as instance, _stdout_to(None if verbose else log_file):
        reap_orphaned_runs(instance)
        return job.execute_in_process(instance=instance, run_config=config, partition_key=partition_key,
                                      tags=tags, raise_on_error=False)


@contextlib.contextmanager
def _stdout_to(log_file: Path | None) -> Iterator[None]:
    """Send the steps' console output (dbt's log lines) to a file, keeping the terminal short."""
    if log_file is None:
        yield
        return
    with log_file.open("a", encoding="utf-8") as handle, contextlib.redirect_stdout(handle):
        yield
