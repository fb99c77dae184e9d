"""What runs unattended besides the daily build: frequent discovery, and the WARC inbox sensor.

Both are on by default (`make ui` starts the daemon that runs them). The inbox folder is
`NKWATCH_WARC_INBOX`, by default `inbox/` beside the warehouse.
"""

import json
import os

import dagster as dg

from ingest.inbox import ready_warc_files
from orchestration import settings
from orchestration.defs.jobs import discover_fetch, full_build

FEED_KINDS = ["rss", "sitemap"]
INBOX_SETTLE_ENV = "NKWATCH_INBOX_SETTLE_SECONDS"

frequent_discovery = dg.ScheduleDefinition(
    name="frequent_discovery",
    job=discover_fetch,
    cron_schedule="*/30 * * * *",
    execution_timezone="UTC",
    run_config={"ops": {"land_pages": {"config": {"kinds": FEED_KINDS}}}},
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Every 30 minutes: read the feeds and sitemaps and fetch their new pages.",
)


@dg.sensor(
    job=full_build,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Lands new WARC files dropped in the inbox folder, then builds the marts.",
)
def warc_inbox(context: dg.SensorEvaluationContext) -> dg.SensorResult:
    """One run for the files that appeared (or changed) since the last tick; the cursor remembers them."""
    seen = set(json.loads(context.cursor or "[]"))
    files = ready_warc_files(settings.inbox_path(), float(os.environ.get(INBOX_SETTLE_ENV) or 10))
    new = [f for f in files if f.key not in seen]
    cursor = json.dumps(sorted(f.key for f in files))  # forget files that were removed
    if not new:
        return dg.SensorResult(skip_reason=f"no new WARC file in {settings.inbox_path()}", cursor=cursor)
    run_config = {"ops": {"land_pages": {"config": {"warc_files": [str(f.path) for f in new]}}}}
    request = dg.RunRequest(run_key=cursor, run_config=run_config,
                            tags={"nkwatch/inbox_files": ", ".join(f.path.name for f in new)[:200]})
    return dg.SensorResult(run_requests=[request], cursor=cursor)
