"""Incremental marts: after a second run with new records they equal a full rebuild of the same raw data."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from bench.corpus import CorpusSpec, write_warc
from tests.conftest import PROJECT_ROOT, query, run_nkwatch
from tests.support.marts import mart_differences

SPEC = CorpusSpec(records=40, on_topic_share=0.4, near_miss_share=0.05, seed=5)
DBT = Path(sys.executable).with_name("dbt")


def test_second_run_with_new_records_equals_a_full_refresh(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    write_warc(inbox / "first.warc.gz", SPEC, 0, SPEC.records, workers=1)
    sources = tmp_path / "sources.yaml"
    sources.write_text(f"sources:\n  - name: bench\n    kind: warc\n    path: {inbox}\n", encoding="utf-8")
    warehouse = tmp_path / "incremental.duckdb"
    args = ("run", "--sources", str(sources), "--warehouse", str(warehouse))

    first = run_nkwatch(*args, dagster_home=tmp_path / "home")
    assert first.returncode == 0, first.stderr
    articles_before = query(warehouse, "SELECT count(*) FROM articles")[0][0]
    write_warc(inbox / "second.warc.gz", SPEC, SPEC.records, 8, workers=1)  # new records, new file
    second = run_nkwatch(*args, dagster_home=tmp_path / "home")
    assert second.returncode == 0, second.stderr
    assert query(warehouse, "SELECT count(*) FROM articles")[0][0] > articles_before

    rebuilt = tmp_path / "rebuilt.duckdb"
    shutil.copyfile(warehouse, rebuilt)
    env = {**os.environ, "NKWATCH_WAREHOUSE": str(rebuilt), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    dbt_dir = PROJECT_ROOT / "dbt_project"
    subprocess.run([str(DBT), "run", "--full-refresh", "--quiet", "--project-dir", str(dbt_dir),
                    "--profiles-dir", str(dbt_dir), "--target-path", str(tmp_path / "target")],
                   check=True, env=env, cwd=dbt_dir, capture_output=True, timeout=600)
    assert mart_differences(warehouse, rebuilt) == {}
