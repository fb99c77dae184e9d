"""The `nkwatch` command: run the pipeline once, backfill dated sources, reprocess, query, or start the UI.

`nkwatch run` executes the same `full_build` job the schedule runs, in this process,
recorded in the same Dagster instance the UI shows; `backfill` and `reprocess` run the
`source_day` and `process` jobs the same way.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from pathlib import Path

from ingest.config import ConfigError, load_sources
from ingest.parallel import start_worker_server
from ingest.source_selection import dated_sources
from orchestration import settings
from orchestration.summary import print_summary

_DBT_GENERATED = {"target", "dbt_packages", "logs"}


def _configure(sources: str | None, warehouse: str | None) -> None:
    """Put the chosen files in the environment, where the definitions and dbt read them."""
    if sources:
        os.environ[settings.SOURCES_ENV] = str(Path(sources).resolve())
    if warehouse:
        os.environ[settings.WAREHOUSE_ENV] = str(Path(warehouse).resolve())
    os.environ[settings.SOURCES_ENV] = str(settings.sources_path())
    os.environ[settings.WAREHOUSE_ENV] = str(settings.warehouse_path())
    os.environ.setdefault("DAGSTER_HOME", str(settings.DAGSTER_HOME))
    settings.ensure_instance_config(Path(os.environ["DAGSTER_HOME"]))
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    # dagster-dbt's manifest preparation and the UI's code server look dbt up on PATH: this environment's first.
    os.environ["PATH"] = f"{Path(sys.prefix) / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}"


def _dbt_project_files() -> Iterator[Path]:
    """The dbt project's own files; ``target/`` is skipped unread, since it gains a build folder per warehouse."""
    for folder, subfolders, files in os.walk(settings.DBT_PROJECT_DIR):
        subfolders[:] = [name for name in subfolders if name not in _DBT_GENERATED]
        yield from (Path(folder, name) for name in files if Path(name).suffix in {".sql", ".yml", ".yaml", ".csv"})


def _prepare_dbt_manifest() -> None:
    """(Re)build dbt's manifest when any project file is newer than it."""
    from orchestration.dbt_project import DBT_PROJECT

    manifest = DBT_PROJECT.manifest_path
    newest = max((p.stat().st_mtime for p in _dbt_project_files()), default=0.0)
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
    if _load_or_explain() is None:
        return 2
    _log_file().write_text("")
    start_worker_server()  # loads on the other core while Dagster and dbt import
    _prepare_dbt_manifest()
    from orchestration.defs.jobs import FULL_BUILD_JOB

    return _build(FULL_BUILD_JOB, args, {"ops": {"land_pages": {"config": {"refetch": args.refetch}}}})


def _build(job_name: str, args: argparse.Namespace, run_config: dict | None = None) -> int:
    """Run a job that ends with the marts published, then print the summary; the exit status."""
    result = _execute(job_name, args, run_config)
    if result is None:
        return 1
    print_summary(settings.warehouse_path(), run_id=result.run_id)
    return 0


def _log_file() -> Path:
    return Path(os.environ["DAGSTER_HOME"]) / "last_run.log"


def _execute(job_name: str, args: argparse.Namespace, run_config: dict | None = None,
             partition_key: str | None = None):
    """Run a job in this process; on failure print the one-paragraph reason and return None."""
    from orchestration.runs import execute

    result = execute(job_name, run_config=run_config, partition_key=partition_key, verbose=args.verbose,
                     log_file=_log_file())
    if result.success:
        return result
    print(
        f"nkwatch: the run failed (run id {result.run_id}).\n{_failure_reason(result)}\n"
        f"dbt and step output: {_log_file()}; full logs in the Dagster UI (nkwatch ui).",
        file=sys.stderr,
    )
    return None


def _load_or_explain():
    """The sources file in force, or None after printing why it is invalid."""
    try:
        return load_sources(settings.sources_path())
    except ConfigError as exc:
        print(f"nkwatch: invalid sources file, nothing was written.\n{exc}", file=sys.stderr)
        return None


def cmd_backfill(args: argparse.Namespace) -> int:
    """Land each dated source for each day of the range (one partition run each), then build once."""
    _configure(args.sources, args.warehouse)
    config = _load_or_explain()
    if config is None:
        return 2
    first, last = date.fromisoformat(args.date_from), date.fromisoformat(args.date_to)
    names = [n for n in dated_sources(config) if not args.source or n in args.source]
    if not names or last < first:
        print(f"nkwatch: nothing to backfill: {'--to is before --from' if last < first else 'no gdelt or ccnews source'}"
              f" in {config.file}{' matching --source' if args.source else ''}.", file=sys.stderr)
        return 2
    start_worker_server()  # loads on the other core while Dagster and dbt import
    _prepare_dbt_manifest()
    _log_file().write_text("")
    import dagster as dg

    from orchestration.defs.jobs import PROCESS_JOB, SOURCE_DAY_JOB
    from orchestration.partitions import partition_key, register_dated_sources

    with dg.DagsterInstance.get() as instance:
        register_dated_sources(instance, config)
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    for day in days:
        for name in names:
            if _execute(SOURCE_DAY_JOB, args, partition_key=partition_key(name, day)) is None:
                return 1
            print(f"nkwatch: landed {name} {day}")
    return _build(PROCESS_JOB, args)


def cmd_reprocess(args: argparse.Namespace) -> int:
    """Clear extractions and annotations, then extract, annotate and build again from the landed pages."""
    _configure(None, args.warehouse)
    start_worker_server()  # loads on the other core while Dagster and dbt import
    _prepare_dbt_manifest()
    _log_file().write_text("")
    from ingest.reprocess import clear_derived
    from orchestration.defs.jobs import PROCESS_JOB

    cleared = clear_derived(settings.warehouse_path())
    print(f"nkwatch: cleared {cleared['extractions']} extractions and {cleared['articles']} articles; "
          "extracting and annotating every landed page again")
    return _build(PROCESS_JOB, args)


def cmd_sql(args: argparse.Namespace) -> int:
    _configure(None, args.warehouse)
    from ingest.publish import published_path
    from orchestration.sql_shell import shell

    return shell(published_path(settings.warehouse_path()))


def cmd_report(args: argparse.Namespace) -> int:
    """Write the HTML report from the published marts (the warehouse itself when none are published)."""
    from ingest.coverage_chart import Period
    from ingest.publish import published_path
    from ingest.report import write_report

    _configure(None, args.warehouse)
    warehouse = settings.warehouse_path()
    database = published_path(warehouse) if published_path(warehouse).exists() else warehouse
    if not database.exists():
        print(f"nkwatch: no warehouse at {warehouse}; run `nkwatch run` first.", file=sys.stderr)
        return 2
    out = Path(args.out) if args.out else warehouse.with_name(f"{warehouse.stem}_report.html")
    print(f"Report written: {write_report(database, out, Period(args.date_from, args.date_to))}")
    return 0


def cmd_ui(args: argparse.Namespace) -> int:
    _configure(args.sources, args.warehouse)
    config = _load_or_explain()
    if config is None:
        return 2
    _prepare_dbt_manifest()
    import dagster as dg

    from orchestration.partitions import register_dated_sources

    with dg.DagsterInstance.get() as instance:  # so the UI offers their partitions for backfills
        register_dated_sources(instance, config)
    dagster = Path(sys.prefix) / "bin" / "dagster"
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

    backfill = sub.add_parser("backfill", help="land the gdelt/ccnews sources day by day over a date range, then build")
    common(backfill)
    backfill.add_argument("--from", dest="date_from", required=True, help="first day (YYYY-MM-DD)")
    backfill.add_argument("--to", dest="date_to", required=True, help="last day (YYYY-MM-DD), included")
    backfill.add_argument("--source", action="append", help="only this source (repeatable; default: every dated one)")
    backfill.add_argument("--verbose", action="store_true", help="show Dagster's and dbt's logs while running")
    backfill.set_defaults(func=cmd_backfill)

    reprocess = sub.add_parser("reprocess", help="extract and annotate every landed page again, rebuild the marts")
    reprocess.add_argument("--warehouse", help=f"DuckDB file (env {settings.WAREHOUSE_ENV})")
    reprocess.add_argument("--verbose", action="store_true", help="show Dagster's and dbt's logs while running")
    reprocess.set_defaults(func=cmd_reprocess)

    sql = sub.add_parser("sql", help="read-only SQL shell on the published marts (<warehouse>_public.duckdb)")
    sql.add_argument("--warehouse", help=f"DuckDB file whose published copy to open (env {settings.WAREHOUSE_ENV})")
    sql.set_defaults(func=cmd_sql)

    report = sub.add_parser("report", help="write an HTML report: chart, top claims and denials, actors, first outlets")
    report.add_argument("--warehouse", help=f"DuckDB file (env {settings.WAREHOUSE_ENV}; its published copy is read)")
    report.add_argument("--out", help="HTML file to write (default: <warehouse>_report.html beside the warehouse)")
    report.add_argument("--from", dest="date_from", type=date.fromisoformat, help="first day (YYYY-MM-DD)")
    report.add_argument("--to", dest="date_to", type=date.fromisoformat, help="last day (YYYY-MM-DD), included")
    report.set_defaults(func=cmd_report)

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
