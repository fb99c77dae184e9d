"""The Dagster UI itself: `nkwatch ui` serves the asset graph with the dbt marts and their checks,
as a real headless browser (Debian's chromium) renders it."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import NKWATCH, PROJECT_ROOT

pytestmark = pytest.mark.timeout(600)

CHROMIUM = shutil.which("chromium")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def ui(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`nkwatch ui` on a free loopback port with its own instance; stopped with its whole session."""
    root = tmp_path_factory.mktemp("ui")
    port = _free_port()
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("NKWATCH_", "DAGSTER_"))}
    environment.update({"DAGSTER_HOME": str(root / "dagster"), "NKWATCH_WAREHOUSE": str(root / "w.duckdb")})
    server = subprocess.Popen(["setsid", "env", "--default-signal=INT,TERM", str(NKWATCH), "ui", "--port", str(port)],
                              stdout=(root / "ui.log").open("w"), stderr=subprocess.STDOUT, env=environment,
                              cwd=PROJECT_ROOT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300
        while True:
            assert server.poll() is None, (root / "ui.log").read_text()[-3000:]
            assert time.monotonic() < deadline, "the UI did not come up"
            try:
                with urllib.request.urlopen(f"{base}/server_info", timeout=5) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                time.sleep(1)
        yield base
    finally:
        _stop(server)


def _stop(server: subprocess.Popen) -> None:
    """SIGTERM the UI's whole session (setsid made it the group leader), then SIGKILL whatever is left."""
    os.killpg(server.pid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        server.wait(timeout=30)
    time.sleep(2)  # the webserver, daemon and code server follow dagster dev out
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGKILL)
    server.wait(timeout=30)


def _rendered_text(url: str, profile: Path) -> str:
    """The page's text after the app has rendered, as chromium sees it."""
    result = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", f"--user-data-dir={profile}", "--virtual-time-budget=30000",
         "--dump-dom", url],
        capture_output=True, text=True, timeout=180,
    )
    dom = re.sub(r"<(script|style)\b.*?</\1>", " ", result.stdout, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", dom).split())


def _graphql(base: str, query: str) -> dict:
    request = urllib.request.Request(f"{base}/graphql", data=json.dumps({"query": query}).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as answer:
        return json.loads(answer.read())["data"]


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (make browser)")
def test_the_browser_shows_the_marts_lineage_and_their_checks(ui: str, tmp_path: Path) -> None:
    lineage = _rendered_text(f"{ui}/locations/orchestration.definitions/asset-groups/marts/lineage", tmp_path / "a")
    assert "Asset Group" in lineage and "marts" in lineage
    assert "daily_coverage" in lineage and "published_marts" in lineage
    checks = _rendered_text(f"{ui}/assets/articles?view=checks", tmp_path / "b")
    assert "unique_articles_article_id" in checks
    assert "freshness_check" in checks

    nodes = _graphql(ui, "{ assetNodes { assetKey { path } groupName assetChecksOrError { "
                         "... on AssetChecks { checks { name } } } } }")["assetNodes"]
    by_key = {"/".join(node["assetKey"]["path"]): node for node in nodes}
    for mart in ("articles", "claims", "entities", "daily_coverage", "fetch_failures"):
        assert by_key[mart]["groupName"] == "marts"
    assert by_key["raw/source_days"]["groupName"] == "ingest"
    assert {check["name"] for check in by_key["raw/pages"]["assetChecksOrError"]["checks"]} >= {"landing_volume"}
    automation = _graphql(ui, '{ sensorsOrError(repositorySelector: {repositoryLocationName: '
                              '"orchestration.definitions", repositoryName: "__repository__"}) '
                              '{ ... on Sensors { results { name sensorState { status } } } } }')
    states = {s["name"]: s["sensorState"]["status"] for s in automation["sensorsOrError"]["results"]}
    assert states["warc_inbox"] == "RUNNING"
