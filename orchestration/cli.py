"""The `nkwatch` command: run the pipeline once, or start the Dagster UI.

`nkwatch run` executes the same `full_build` job the schedule runs, in this process,
recorded in the same Dagster instance the UI shows.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

from ingest.config import ConfigError, load_sources
from orchestration import settings
from orchestration.summary import print_summary


def _configure(sources: str | None, warehouse: str | None) -> None:
    """Put the chosen files in the environment, where the definitions and dbt read them."""
    if sources:
        os.environ[settings.SOURCES_ENV] = str(Path(sources).resolve())
    if warehouse:
        os.environ[settings.WAREHOUSE_ENV] = str(Path(warehouse).resolve())
    os.environ[settings.SOURCES_ENV] = str(settings.sources_path())
    os.environ[settings.WAREHOUSE_ENV] = str(settings.warehouse_path())
    os.environ.setdefault("DAGSTER_HOME", str(settings.DAGSTER_HOME))
    home = Path(os.environ["DAGSTER_HOME"])
    home.mkdir(parents=True, exist_ok=True)
    if not (home / "dagster.yaml").exists():
        shutil.copyfile(settings.DAGSTER_INSTANCE_TEMPLATE, home / "dagster.yaml")
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")


def _prepare_dbt_manifest() -> None:
    """(Re)build dbt's manifest when any project file is newer than it."""
    from orchestration.dbt_project import DBT_PROJECT

    manifest = DBT_PROJECT.manifest_path
    project_files = [
        p for p in settings.DBT_PROJECT_DIR.rglob("*")
        if p.is_file() and p.suffix in {".sql", ".yml", ".yaml", ".csv"}
        and "target" not in p.relative_to(settings.DBT_PROJECT_DIR).parts
    ]
    newest = max((p.stat().st_mtime for p in project_files), default=0.0)
    if not manifest.exists() or manifest.stat().st_mtime < newest:
        DBT_PROJECT.preparer.prepare(DBT_PROJECT)


def _failure_reason(result) -> str:
    """One paragraph saying which step failed and why."""
    for event in result.all_events:
        if event.is_step_failure:
            error = event.event_specific_data.error
            cause = error.cause or error
            while cause.cause is not None:
                cause = cause.cause
            message = " ".join((cause.message or error.message).split())
            return f"Step '{event.step_key}' failed: {message}"
    return "The run did not succeed (no step failure was recorded; see the Dagster UI for the run's logs)."


def cmd_run(args: argparse.Namespace) -> int:
    _configure(args.sources, args.warehouse)
    try:
        load_sources(settings.sources_path())
    except ConfigError as exc:
        print(f"nkwatch: invalid sources file, nothing was written.\n{exc}", file=sys.stderr)
        return 2
    _prepare_dbt_manifest()

    import dagster as dg

    from orchestration.defs.jobs import FULL_BUILD_JOB
    from orchestration.definitions import defs

    job = defs().resolve_job_def(FULL_BUILD_JOB)
    run_config = {
        "ops": {"land_pages": {"config": {"refetch": args.refetch}}},
        "loggers": {"console": {"config": {"log_level": "DEBUG" if args.verbose else "CRITICAL"}}},
    }
    log_file = Path(os.environ["DAGSTER_HOME"]) / "last_run.log"
    with dg.DagsterInstance.get() as instance, _stdout_to(None if args.verbose else log_file):
        result = job.execute_in_process(instance=instance, run_config=run_config, raise_on_error=False)
    if not result.success:
        print(
            f"nkwatch: the run failed (run id {result.run_id}).\n{_failure_reason(result)}\n"
            f"dbt and step output: {log_file}; full logs in the Dagster UI (nkwatch ui).",
            file=sys.stderr,
        )
        return 1
    print_summary(settings.warehouse_path(), run_id=result.run_id)
    return 0


@contextlib.contextmanager
def _stdout_to(log_file: Path | None):
    """Send the steps' console output (dbt's log lines) to a file, keeping the terminal short."""
    if log_file is None:
        yield
        return
    with log_file.open("w", encoding="utf-8") as handle, contextlib.redirect_stdout(handle):
        yield


def cmd_ui(args: argparse.Namespace) -> int:
    _configure(args.sources, args.warehouse)
    _prepare_dbt_manifest()
    bin_dir = Path(sys.prefix) / "bin"
    # The code server dagster dev starts must find this environment's tools (dbt, python).
    os.environ["PATH"] = f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"
    dagster = bin_dir / "dagster"
    command = [str(dagster), "dev", "-m", "orchestration.definitions", "-h", args.host, "-p", str(args.port)]
    os.execv(command[0], command)
    return 0  # not reached


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="nkwatch", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--sources", help=f"sources file (env {settings.SOURCES_ENV}; default: the embedded sample)")
        p.add_argument("--warehouse", help=f"DuckDB file (env {settings.WAREHOUSE_ENV}; default: warehouse/nkwatch.duckdb)")

    run = sub.add_parser("run", help="materialize the whole asset graph once")
    common(run)
    run.add_argument("--refetch", action="store_true", help="fetch URLs again even if fetched before")
    run.add_argument("--verbose", action="store_true", help="show Dagster's and dbt's logs while running")
    run.set_defaults(func=cmd_run)

    ui = sub.add_parser("ui", help="start the Dagster UI")
    common(ui)
    ui.add_argument("--host", default="127.0.0.1")
    ui.add_argument("--port", type=int, default=3000)
    ui.set_defaults(func=cmd_ui)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
