# Newsroom: `make run` serves the demo newsroom, `make test` runs the suite.
PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1:8000

.PHONY: run test lint serve clean bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# This checkout's secret key, so manage.py runs without exporting one (never committed).
.env:
	$(PYTHON) -c "import secrets; print('DJANGO_SECRET_KEY=' + secrets.token_urlsafe(50))" > $@

# Reinstall whenever the dependencies change.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

# The web server and, beside it, the background worker (pictures, re-indexing);
# stopping the one (Ctrl+C) stops the other.
# The Persian interface: locale/fa/LC_MESSAGES/django.po is committed, the compiled .mo is
# not; it is made here (gettext's msgfmt, through Django) whenever the catalogue changes.
CATALOGUES := locale/fa/LC_MESSAGES/django.mo

locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po | $(VENV)/.installed .env
	@if ! command -v msgfmt >/dev/null 2>&1; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null; \
	fi
	$(BIN)/python manage.py compilemessages --ignore=.venv --ignore=node_modules -v0

run: $(VENV)/.installed .env $(CATALOGUES)
	DJANGO_DEBUG=$${DJANGO_DEBUG:-on} $(BIN)/python manage.py migrate --no-input
	DJANGO_DEBUG=$${DJANGO_DEBUG:-on} $(BIN)/python manage.py load_demo
	DJANGO_DEBUG=$${DJANGO_DEBUG:-on} $(BIN)/python manage.py worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	DJANGO_DEBUG=$${DJANGO_DEBUG:-on} $(BIN)/python manage.py runserver $(HOST)

# The Nu HTML Checker that tests/e2e/test_html_validity.py runs (with Java), fetched
# with npm into node_modules/ (git-ignored); after changing the version, rm -r node_modules.
# Without npm `make test` goes on, and those tests skip, saying why (in CI they fail).
VNU_VERSION := 26.9.27
VNU_JAR     := node_modules/vnu-jar/build/dist/vnu.jar

$(VNU_JAR):
	@if command -v npm >/dev/null 2>&1; then \
	  npm install --prefix . --no-save --no-audit --no-fund --ignore-scripts --loglevel=error \
	    vnu-jar@$(VNU_VERSION) >/dev/null \
	  || echo "make: npm could not install vnu-jar@$(VNU_VERSION); the HTML validity tests will skip"; \
	else \
	  echo "make: npm is missing, so vnu-jar is not installed; the HTML validity tests will skip"; \
	fi

test: $(VENV)/.installed .env $(CATALOGUES) $(VNU_JAR)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Benchmarks: 1k/10k/100k-article databases (made once, in bench/out/), gunicorn as in
# production, wrk beside two baselines; writes bench/RESULTS.md. Knobs: bench/run.py,
# e.g. BENCH_SIZES=1000 BENCH_SECONDS=2 BENCH_REPEAT=1 make bench for a smoke run.
bench: $(VENV)/.installed $(CATALOGUES)
	@if ! command -v wrk >/dev/null 2>&1; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	fi
	$(BIN)/python bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles
