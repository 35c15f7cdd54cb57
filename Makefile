# The two commands of the README: `make run` and `make test`. Both install what they need.
SHELL := /bin/bash
TOOLS := .eldercare/tools
UV := $(or $(shell command -v uv 2>/dev/null),$(TOOLS)/bin/uv)
RUN := $(UV) run --frozen

export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export DAGSTER_DISABLE_TELEMETRY := true
export GX_ANALYTICS_ENABLED := false

.PHONY: run test setup lint pytest system-packages bench

# The whole platform on the sample data, then its UIs in the foreground (Ctrl-C stops them).
run: setup
	$(RUN) eldercare db start
	$(RUN) eldercare superset start
	$(RUN) eldercare run
	$(RUN) eldercare ops simulate
	$(RUN) eldercare run --skip-feeds
	$(RUN) eldercare serve

# Lint (ruff, sqlfluff) and the test suite against a PostgreSQL the tests start themselves.
test: setup lint pytest

setup: system-packages $(UV)
	$(UV) sync --frozen

$(UV):
	@echo "uv not found: installing it into $(TOOLS)"
	python3 -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet uv

# PostgreSQL's server binaries; present on this machine kind, installed from Debian otherwise.
# Chromium and a CJK font for the dashboards' browser test.
system-packages:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null || \
	  { echo "installing PostgreSQL server binaries"; apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; }
	@{ command -v chromium >/dev/null && fc-list :lang=zh | grep -q .; } || \
	  { echo "installing chromium and fonts-noto-cjk"; apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk; }

lint:
	$(RUN) ruff check .
	$(RUN) ruff format --check .
	$(RUN) sqlfluff lint dbt_project/models

pytest:
	$(RUN) pytest

# Speed and memory figures (bench/README.md); slow, and never part of `make test`.
bench: setup
	$(RUN) python bench/ingest.py --elders 100000
	$(RUN) python bench/superset_charts.py
	$(RUN) python bench/marts.py
