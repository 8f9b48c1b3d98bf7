# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: screenshots run test install lock lint format migrations-check demo check-deploy bench messages compile-messages clean

# requirements.txt and requirements-dev.txt pin what the project uses directly; requirements.lock (a
# constraints file) pins everything they pull in, so every machine gets the same versions.
$(STAMP): requirements.txt requirements-dev.txt requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt -c requirements.lock
	touch $(STAMP)

install: $(STAMP)

## After changing a pin in requirements*.txt and installing it: rewrite requirements.lock from the virtualenv.
lock:
	$(PY) scripts/lock_requirements.py

## Create the virtualenv, install, migrate, load the demo knowledge base and serve on 127.0.0.1:8000.
## The site defaults to production mode: these local targets set development mode (DEBUG=true) themselves.
run: install
	DEBUG=true $(PY) manage.py migrate --noinput
	DEBUG=true $(PY) manage.py load_demo --with-demo-users
	DEBUG=true $(PY) manage.py runserver 127.0.0.1:8000

## (Re)load the demo knowledge base into the current database (idempotent).
demo: install
	DEBUG=true $(PY) manage.py migrate --noinput
	DEBUG=true $(PY) manage.py load_demo

## Run every test against whatever DATABASE_URL says (SQLite by default), on every core (pytest-xdist;
## each worker has its own test database and cache); TEST_WORKERS=0 runs them in one process.
TEST_WORKERS ?= auto
test: install
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Interface translations (needs GNU gettext): refresh the French and Spanish catalogues from the code,
# translate what is new or changed (tests/site/test_translations.py fails until every entry is done),
# then run `make compile-messages` and commit the .po and .mo files.
messages: install
	DEBUG=true $(PY) manage.py makemessages -l fr -l es --no-obsolete --ignore='.venv/*' --ignore='tests/*' --ignore='scripts/*' --ignore='staticfiles/*'

compile-messages: install
	DEBUG=true $(PY) manage.py compilemessages --ignore='.venv'

migrations-check: install
	DEBUG=true $(PY) manage.py makemigrations --check --dry-run

## Production settings must pass Django's deployment checklist.
check-deploy: install
	DEBUG=false SECRET_KEY=ci-deploy-check-$$(date +%s)-not-a-real-key-0123456789abcdef \
	  ALLOWED_HOSTS=rcpdb.example.org $(PY) manage.py check --deploy --fail-level WARNING

## Benchmark the key pages at 1x, 10x and 100x data, against /healthz and against Datasette on the same
## SQLite file; writes docs/benchmarks.md (about 10 minutes, unattended).
bench: install
	$(PY) scripts/bench.py

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache

## Screenshots of the key pages at 390 and 1,366 px in a real browser, for review (not committed).
SCREENSHOTS_DIR ?= screenshots
screenshots: install
	SCREENSHOTS_DIR=$(abspath $(SCREENSHOTS_DIR)) $(PY) -m pytest -n 0 -q -p no:randomly tests/browser/test_layout.py -k test_key_pages_screenshots
	@echo "Screenshots in $(SCREENSHOTS_DIR)/"
