# Compact Portal. `make run` sets everything up and serves the portal;
# `make test` sets everything up and runs the tests. Both work on a fresh clone.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
FIXTURES := themes dorset dacorum darlington derby-derbyshire county-durham
PYTEST_ARGS ?= -n 2

.PHONY: run test setup deps assets migrate data demo lint bench search-quality clean worker beat fuzz

run: setup demo
	$(MANAGE) runserver 127.0.0.1:8000

test: setup
	$(BIN)/pytest $(PYTEST_ARGS)

setup: deps assets .env migrate data

deps: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The compiled CSS and copied JavaScript (frontend/build), then Django's
# hashed, compressed copies (staticfiles) that whitenoise serves.
assets: deps
	npm run --silent build
	$(MANAGE) collectstatic --noinput --verbosity 0

# A local .env with a freshly generated SECRET_KEY, made once.
.env: | $(VENV)/.installed
	sed "s|^SECRET_KEY=.*|SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')|" .env.example > $@

migrate: deps .env
	$(MANAGE) migrate --noinput --verbosity 0

data: migrate
	$(MANAGE) loaddata $(FIXTURES)

# Demo accounts and complaints (development only; `make run` adds them).
demo: data
	$(MANAGE) seed_demo

# The task queue, beside `make run`, when CELERY_BROKER_URL names a broker (in .env or the environment):
# a worker sends the emails and runs the scheduled tasks, which beat (one only) starts on time.
# Without a broker there is nothing to start: emails go from the web process.
BROKER_SET = test -n "$${CELERY_BROKER_URL:-$$(sed -n 's/^CELERY_BROKER_URL=//p' .env)}" || \
	{ echo "Set CELERY_BROKER_URL first (redis://127.0.0.1:6379/2, say)"; exit 1; }

worker: migrate
	@$(BROKER_SET)
	$(BIN)/celery -A compact_portal worker --loglevel=INFO

beat: migrate
	@$(BROKER_SET)
	$(BIN)/celery -A compact_portal beat --loglevel=INFO

# Recall in the first 20 results and mean reciprocal rank of keyword search over
# fixtures/search/relevance.yaml, on SQLite and then on PostgreSQL.
SEARCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/compact_portal_search
search-quality: setup
	$(MANAGE) search_quality
	createdb -h 127.0.0.1 -U postgres compact_portal_search 2>/dev/null || true
	DATABASE_URL=$(SEARCH_DATABASE_URL) $(MANAGE) migrate --noinput --verbosity 0
	DATABASE_URL=$(SEARCH_DATABASE_URL) $(MANAGE) loaddata --verbosity 0 $(FIXTURES)
	DATABASE_URL=$(SEARCH_DATABASE_URL) $(MANAGE) search_quality

# Malformed POSTs to every form, by every role, many more than `make test` sends (compact_portal/tests/
# test_fuzz_posts.py), new ones each run: how many requests were sent, how many answered 500, and each distinct 500.
FUZZ_EXAMPLES ?= 200
FUZZ_REPORT ?= /tmp/fuzz-report.md
fuzz: setup
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) FUZZ_PROFILE=fuzz FUZZ_REPORT=$(FUZZ_REPORT) \
		$(BIN)/pytest compact_portal/tests/test_fuzz_posts.py -n 0 -q; \
		status=$$?; cat $(FUZZ_REPORT); exit $$status

lint: deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) node_modules frontend/build staticfiles db.sqlite3

# Throughput and latency on the scale data set (PostgreSQL, gunicorn, wrk).
# DATABASE_URL may name another PostgreSQL database; bench/run.py creates it if missing.
bench: deps assets
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk >/dev/null)
	$(BIN)/python bench/run.py
