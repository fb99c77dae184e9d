"""Checks that show in the UI what is stale or odd: freshness of raw tables and marts, landing volume.

dbt tests are checks already (dbt_assets). Freshness checks warn when an asset has not been
updated for longer than a day and a bit (the daily build plus slack); their sensor evaluates
them and is on by default. The volume check compares each landing run with the runs before.
"""

from datetime import timedelta

import dagster as dg

from orchestration.volume import Landed, volume_problems

STALE_AFTER = timedelta(hours=26)
HISTORY_RUNS = 7

_PAGES = dg.AssetKey(["raw", "pages"])
_FRESH_RAW = [dg.AssetKey(["raw", t]) for t in ("pages", "fetch_attempts", "articles", "claims")]
_FRESH_MARTS = [dg.AssetKey(t) for t in ("articles", "claims", "daily_coverage", "fetch_failures")]

freshness_checks = dg.build_last_update_freshness_checks(assets=_FRESH_RAW + _FRESH_MARTS,
                                                         lower_bound_delta=STALE_AFTER)
freshness_sensor = dg.build_sensor_for_freshness_checks(freshness_checks=freshness_checks,
                                                        default_status=dg.DefaultSensorStatus.RUNNING)


def _landed(record: dg.EventLogRecord) -> Landed:
    metadata = record.asset_materialization.metadata if record.asset_materialization else {}

    def number(name: str) -> int:
        value = metadata.get(name)
        return int(getattr(value, "value", value) or 0)

    return Landed(pages=number("pages_landed"), failures=number("failures"))


@dg.asset_check(asset=_PAGES, description="Warns on a sudden drop in landed pages or a jump in the failure rate.")
def landing_volume(context: dg.AssetCheckExecutionContext) -> dg.AssetCheckResult:
    """This landing run against the median of the previous ones."""
    records = context.instance.fetch_materializations(_PAGES, limit=HISTORY_RUNS + 1).records
    if not records:
        return dg.AssetCheckResult(passed=True, metadata={"runs_compared": 0})
    current, *history = [_landed(record) for record in records]
    problems = volume_problems(current, history)
    return dg.AssetCheckResult(
        passed=not problems,
        severity=dg.AssetCheckSeverity.WARN,
        description="; ".join(problems) or None,
        metadata={"pages_landed": current.pages, "failures": current.failures,
                  "failure_rate": round(current.failure_rate, 3), "runs_compared": len(history)},
    )
