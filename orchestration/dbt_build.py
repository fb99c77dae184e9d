"""A dbt build run inside the run's own process, its results streamed as Dagster events.

dagster-dbt starts dbt as a child process: a new Python that imports dbt before its first
model (~5 s on a 2-core machine, a sixth of a run that finds little new), although the run's
process has already imported most of dbt to read the manifest. Here dbt runs through its
programmatic API (``dbtRunner``) on a thread of this process. Its result events are turned
into Dagster events by dagster-dbt's own translation (the same outputs, asset checks and
metadata as ``DbtCliResource.cli(...).stream()``), and the selection comes from dagster-dbt too,
so a subset of the models or checks selected in the UI builds just that subset.

dbt cannot be interrupted from another thread: a run terminated mid-build leaves the build
running until the process exits, as a killed child process would have been.
"""

from __future__ import annotations

import logging
import os
import queue
import shutil
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator
from dagster_dbt.asset_utils import get_updated_cli_invocation_params_for_context
from dagster_dbt.core.dbt_cli_event import DbtCoreCliEventMessage
from dbt.adapters.duckdb.connections import DuckDBConnectionManager
from dbt.cli.main import dbtRunner, dbtRunnerResult
from dbt_common.events.base_types import EventMsg
from dbt_common.events.functions import msg_to_dict

logger = logging.getLogger(__name__)

_PARTIAL_PARSE = "partial_parse.msgpack"
_RESULT_EVENTS = frozenset({"LogSeedResult", "LogModelResult", "LogSnapshotResult", "LogTestResult"})


class DbtBuildError(Exception):
    """dbt finished the build with errors (a model or test failed, or dbt itself did)."""


def _args(project_dir: Path, profiles_dir: Path, target_path: Path, selection: Sequence[str],
          indirect_selection: str | None) -> list[str]:
    """``dbt build`` of the project with its profile, into ``target_path``, plain text in the run's log.

    dbt.log in the target folder keeps warnings and errors only, unless ``DBT_LOG_LEVEL_FILE``
    (dbt's own setting) asks for more: at its default, debug, dbt formats every query into the
    file and checks it for rotation line by line, ~2 s of a build that finds nothing new.
    """
    args = ["build", "--no-use-colors", "--project-dir", str(project_dir), "--profiles-dir", str(profiles_dir),
            "--target-path", str(target_path), "--log-path", str(target_path), *selection]
    if "DBT_LOG_LEVEL_FILE" not in os.environ:
        args += ["--log-level-file", "warn"]
    if indirect_selection:
        args += ["--indirect-selection", indirect_selection]
    return args


def _reuse_project_parse(project_dir: Path, target_path: Path) -> None:
    """Start a new target folder from the project's last parse, so its first build parses only what changed."""
    parsed = project_dir / "target" / _PARTIAL_PARSE
    if parsed.exists() and not (target_path / _PARTIAL_PARSE).exists():
        target_path.mkdir(parents=True, exist_ok=True)
        shutil.copy(parsed, target_path / _PARTIAL_PARSE)


def _invoke(args: list[str], events: queue.Queue) -> None:
    """Run dbt, queueing its result and error events as they come and, last, its outcome."""
    def forward(message: EventMsg) -> None:
        if message.info.name in _RESULT_EVENTS or message.info.level == "error":
            events.put(msg_to_dict(message))

    try:
        outcome: dbtRunnerResult | BaseException = dbtRunner(callbacks=[forward]).invoke(args)
    except BaseException as exc:  # handed to the consuming thread, which raises it
        outcome = exc
    finally:
        # dbt-duckdb keeps its database open for the life of the process (its `keep_open`);
        # let it go, or the run's later steps could not open the warehouse their own way.
        DuckDBConnectionManager.close_all_connections()
    events.put(outcome)


def build(context: dg.AssetExecutionContext, translator: DagsterDbtTranslator, *, project_dir: Path,
          profiles_dir: Path, target_path: Path) -> Iterator[Any]:
    """Run ``dbt build`` for the selected models and checks; yield each result's Dagster events as it finishes."""
    params = get_updated_cli_invocation_params_for_context(context=context, manifest={},
                                                           dagster_dbt_translator=translator)
    # The assets' project, or for a selection too long for a command line, a copy holding it as a selector.
    project_dir = Path(params.dbt_project.project_dir) if params.dbt_project else project_dir
    args = _args(project_dir, profiles_dir, target_path, params.selection_args, params.indirect_selection)
    _reuse_project_parse(project_dir, target_path)
    logger.info("dbt %s", " ".join(args))
    events: queue.Queue = queue.Queue()
    threading.Thread(target=_invoke, args=(args, events), name="dbt-build", daemon=True).start()
    errors: list[str] = []
    while not isinstance(item := events.get(), (dbtRunnerResult, BaseException)):
        if item["info"]["level"] == "error":
            errors.append(item["info"]["msg"])
        event = DbtCoreCliEventMessage(raw_event=item, event_history_metadata={})
        yield from event.to_default_asset_events(manifest=params.manifest,
                                                 dagster_dbt_translator=params.dagster_dbt_translator,
                                                 context=context, target_path=target_path,
                                                 project=params.dbt_project)
    if isinstance(item, BaseException):
        raise DbtBuildError(f"dbt could not run: {item}") from item
    if not item.success:
        detail = "\n".join(errors) or str(item.exception or "see dbt.log in the target folder")
        raise DbtBuildError(f"dbt build failed:\n{detail}")
