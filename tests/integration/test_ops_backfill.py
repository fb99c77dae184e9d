"""`nkwatch backfill`: a GDELT-like source on loopback, three daily partitions, then one build."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import dagster as dg
import pytest

from tests.conftest import PROJECT_ROOT, query, run_nkwatch
from tests.support.http_server import FixtureServer, Reply, Seen

pytestmark = pytest.mark.timeout(900)

PAGES = PROJECT_ROOT / "sample" / "pages"
HTML = {"Content-Type": "text/html; charset=utf-8"}
BY_DAY = {"20241008": ["/seoul"], "20241009": ["/kyiv"], "20241010": ["/kremlin", "/seoul"]}


def test_backfill_lands_each_day_once_and_builds(tmp_path: Path) -> None:
    asked: list[str] = []

    with FixtureServer({}) as server:
        base = server.url("").rstrip("/")

        def api(seen: Seen) -> Reply:
            start = parse_qs(urlsplit(seen.path).query)["startdatetime"][0]
            asked.append(start)
            links = BY_DAY.get(start[:8], [])
            articles = [{"url": f"{base}{link}", "title": link, "seendate": f"{start[:8]}T120000Z"} for link in links]
            return Reply(200, {"Content-Type": "application/json"}, json.dumps({"articles": articles}).encode())

        server.routes.update({
            "/api": api,
            "/seoul": Reply(200, HTML, (PAGES / "seed003_independent.html").read_bytes()),
            "/kyiv": Reply(200, HTML, (PAGES / "seed001_kyivindependent.html").read_bytes()),
            "/kremlin": Reply(200, HTML, (PAGES / "seed000_themoscowtimes.html").read_bytes()),
        })
        sources = tmp_path / "sources.yaml"
        sources.write_text(
            "sources:\n"
            f"  - {{name: api, kind: gdelt, query: 'north korea russia', start: 2024-10-01, end: 2024-10-31,"
            f" base_url: '{base}/api', min_interval: 0}}\n"
            "allow_private_addresses: true\n"
            "fetch: {retries: 0, per_host_delay: 0}\n"
        )
        warehouse = tmp_path / "w.duckdb"
        result = run_nkwatch("backfill", "--from", "2024-10-08", "--to", "2024-10-10", "--sources", str(sources),
                             "--warehouse", str(warehouse), dagster_home=tmp_path / "dagster")
        assert result.returncode == 0, result.stdout + result.stderr

    assert sorted(asked) == ["20241008000000", "20241009000000", "20241010000000"]  # each day asked once, alone
    assert [line for line in result.stdout.splitlines() if line.startswith("nkwatch: landed")] == [
        "nkwatch: landed api 2024-10-08", "nkwatch: landed api 2024-10-09", "nkwatch: landed api 2024-10-10"]
    paths = {url.rsplit("/", 1)[-1] for (url,) in query(warehouse, "SELECT url FROM raw.pages")}
    assert paths == {"seoul", "kyiv", "kremlin"}  # /seoul listed twice, fetched once
    assert query(warehouse, "SELECT count(*) FROM articles WHERE source_name = 'api'")[0][0] == 3

    with dg.DagsterInstance.from_config(str(tmp_path / "dagster")) as instance:
        done = instance.get_materialized_partitions(dg.AssetKey(["raw", "source_days"]))
        assert instance.get_dynamic_partitions("dated_sources") == ["api"]
    assert {(key.keys_by_dimension["source"], key.keys_by_dimension["date"]) for key in map(_multi, done)} == {
        ("api", "2024-10-08"), ("api", "2024-10-09"), ("api", "2024-10-10")}


def _multi(key: str) -> dg.MultiPartitionKey:
    date, source = key.split("|")  # dimensions in name order: date, source
    return dg.MultiPartitionKey({"date": date, "source": source})
