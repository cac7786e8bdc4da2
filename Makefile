# The two commands of the README: `make demo` and `make test`. Everything else is a step of theirs.
# Each step leaves a stamp in .make/ and is redone only when its inputs change, so a second
# `make demo` goes straight to serving.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
STAMPS := .make
PORT ?= 8000
UV_VERSION := 0.13.9
LOCALES := $(wildcard portal/locale/*/LC_MESSAGES/django.po)

.PHONY: demo demo-db test lint format install assets messages serve db migrate schema portals bench bench-frontend clean help localstripe

help:
	@echo "make demo   install, migrate, build every portal in sites/, load demo content, serve on :$(PORT)"
	@echo "make test   install and run the whole test suite"
	@echo "make lint   ruff, and makemigrations --check"

demo: install
	@# the assets beside the database (migrate, then the portals and the demo content, which
	@# need the compiled translations): neither needs the other until the server starts
	$(MAKE) --no-print-directory -j3 assets messages demo-db
	$(MAKE) --no-print-directory localstripe serve

demo-db: $(STAMPS)/messages
	$(MAKE) --no-print-directory migrate
	$(MAKE) --no-print-directory portals

test: install assets messages
	@# the browser tests (tests/e2e) drive Debian's Chromium (Playwright's download does not work here); the Nu checker runs on Java
	(command -v chromium && command -v java) >/dev/null || (apt-get update -q && apt-get install -y -q chromium default-jre-headless)
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(MANAGE) makemigrations --check --dry-run

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

install: $(STAMPS)/venv
$(STAMPS)/venv: pyproject.toml requirements.lock
	@mkdir -p $(STAMPS)
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@# uv installs the locked packages in seconds where pip takes a minute (bench/timings.sh)
	$(PY) -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	@# --compile-bytecode: the .pyc files are written once here, so that every later process
	@# (migrate, portal build, demo, runserver, pytest) imports them even where
	@# PYTHONDONTWRITEBYTECODE is set (as on our CI machine), instead of compiling Django,
	@# Wagtail and Oscar from source each time (3 s of CPU per process)
	$(PY) -m uv pip install --python $(PY) --quiet --compile-bytecode -c requirements.lock -e '.[dev]'
	@touch $@

# npm's packages, then each theme's JavaScript and CSS (themes/build_assets.mjs: only the Bootstrap
# Italia modules and rules its pages use) into static_built/, which Django serves as /static/bundle/.
# The CSS keeps the classes that templates and Python name, so editing either rebuilds it.
THEME_SOURCES := $(shell find themes portal shop fixtures -name '*.html' -o -name '*.py' -o -name '*.js' -o -name '*.toml' 2>/dev/null | grep -v /migrations/)
assets: $(STAMPS)/assets
$(STAMPS)/npm: package.json package-lock.json
	@mkdir -p $(STAMPS)
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@
$(STAMPS)/assets: $(STAMPS)/npm $(STAMPS)/venv themes/build_assets.mjs $(THEME_SOURCES)
	node themes/build_assets.mjs "$$($(PY) -c 'import oscar, pathlib; print(pathlib.Path(oscar.__file__).parent / "templates")')"
	@touch $@

messages: $(STAMPS)/messages
$(STAMPS)/messages: $(LOCALES) $(STAMPS)/venv
	@# Oscar's texts in its British English: its American catalogue would be read first
	$(PY) -m portal.territories.oscar_english
	$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules -v0
	@touch $@

# A new SQLite database starts from portal/territories/schema_snapshot.sql (the migrations'
# result, in a second), then migrate applies any migration newer than the snapshot.
migrate: $(STAMPS)/venv
	$(MANAGE) migrate --no-input -v1

# Write the schema snapshot again after adding or changing a migration (tests/test_schema_snapshot.py
# fails until it is): migrates a scratch database one migration at a time.
schema: $(STAMPS)/venv
	$(MANAGE) schema

# every portal of sites/ and the demo content, whose texts need the compiled translations
portals: $(STAMPS)/venv $(STAMPS)/messages
	$(MANAGE) portal build
	$(MANAGE) demo

db: migrate portals

# The fake Stripe (localstripe) on 127.0.0.1 only, in the background, with our webhook
# registered; a second start finds the port taken and leaves the running one alone.
LOCALSTRIPE_PORT ?= 8420
localstripe: $(STAMPS)/venv
	@mkdir -p $(STAMPS)
	nohup $(PY) -m shop.payment.localstripe_server --port $(LOCALSTRIPE_PORT) --state $(STAMPS)/localstripe.pickle --webhook http://127.0.0.1:$(PORT)/shop/payment/stripe/webhook/ --secret whsec_localstripe >$(STAMPS)/localstripe.log 2>&1 &
	@echo "localstripe (fake Stripe, test cards): http://127.0.0.1:$(LOCALSTRIPE_PORT)/"

serve:
	@echo "Serving every portal on port $(PORT): http://sondrio.localhost:$(PORT)/ (list: http://localhost:$(PORT)/)"
	$(MANAGE) runserver 127.0.0.1:$(PORT)

bench: install assets messages
	bench/run.sh

# Lighthouse (mobile) on home, catalogue, product and article of an italia and a borgo portal
bench-frontend: install assets messages
	$(PY) bench/lighthouse.py

clean:
	rm -rf $(STAMPS) $(VENV) node_modules static_collected static_built build/locale db.sqlite3
