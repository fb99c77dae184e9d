# Two commands on a fresh machine: `make run` (install + run the pipeline on the embedded
# sample) and `make test` (install + the test suite). Everything installs from uv.lock.

PYTHON ?= python3
UV_VERSION := 0.13.8
TOOLS := .tools
UV := $(TOOLS)/bin/uv
BIN := .venv/bin
STAMP := .venv/.synced

export DAGSTER_HOME ?= $(CURDIR)/.dagster_home
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export DO_NOT_TRACK := 1

.PHONY: install manifest browser run test ui eval eval-extraction bench bench-fetch clean

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# The project virtualenv with the exact versions of uv.lock (dev group included).
# Bytecode is compiled once here: with PYTHONDONTWRITEBYTECODE set (as on these machines) every
# process would otherwise compile dagster, dbt and their imports from source, ~10 s each time.
$(STAMP): $(UV) uv.lock pyproject.toml
	$(UV) sync --frozen --compile-bytecode --python $(PYTHON)
	touch $(STAMP)

install: $(STAMP)
	@$(BIN)/python -m compileall -q ingest orchestration

# dagster-dbt loads dbt's manifest when definitions load outside `dagster dev`.
manifest: install
	cd dbt_project && ../$(BIN)/dbt parse --quiet --profiles-dir .

# Browser tests (the report page, the Dagster UI) drive Debian's chromium; install it when we can.
browser:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null; } || \
		echo "chromium is not installed and cannot be installed here: browser tests will be skipped"

run: manifest
	$(BIN)/nkwatch run

test: manifest browser
	$(BIN)/pytest

ui: manifest
	$(BIN)/nkwatch ui

# Seeds scored on the marts of a fresh sample build, then the held-out passages.
eval: manifest
	$(BIN)/python -m ingest.nlp.evaluate --marts
	$(BIN)/python -m ingest.nlp.evaluate --heldout

# The shared gold pages, then our own hand-written held-out pages (reported separately).
eval-extraction: install
	$(BIN)/python -m ingest.extract.evaluate --baseline
	$(BIN)/python -m ingest.extract.evaluate --baseline --gold tests/fixtures/extraction_heldout

# Throughput on a synthetic CC-NEWS-like corpus next to the machine's limits (bench/run.py).
# BENCH_ARGS="--records 10000 --seed 3" changes it; results go to bench/results/.
bench: manifest
	$(BIN)/python -m bench.run $(BENCH_ARGS)

# Issue 3's figures: fetch throughput against a 100 ms loopback server next to its ideal, and peak
# memory streaming 100 MB and 1 GB WARCs (written to /tmp, then deleted); bench/results/fetch.json.
bench-fetch: install
	$(BIN)/python -m bench.fetch_throughput
	$(BIN)/python -m bench.warc_memory

clean:
	rm -rf .venv $(TOOLS) .dagster_home dbt_project/target warehouse/*.duckdb*
