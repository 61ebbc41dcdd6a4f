# Newsroom: `make run` to set up and serve the site, `make test` to run the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
ADDRESS ?= 127.0.0.1:8000
# gunicorn's rule of thumb for sync workers: two per core, plus one.
WORKERS ?= $(shell echo $$((2 * $$(nproc 2>/dev/null || echo 1) + 1)))
PYTEST_ARGS ?=
# Development commands run with DEBUG on unless the environment says otherwise,
# as `make superuser` does; in production set the environment and say DJANGO_DEBUG=0.
DEV_ENV := DJANGO_DEBUG=$${DJANGO_DEBUG:-1}

.PHONY: run serve-dev worker test faults lint format serve superuser staff demo manage clean \
	bench-photos bench-photo-memory bench-uploads bench-edge bench bench-screening

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamp files: reinstall only when a requirements file changes.
$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

# axe-core, which the accessibility tests inject into pages. Without npm those
# tests skip with the reason (and fail in CI, which requires every component).
NODE_TOOLS := $(if $(shell command -v npm 2>/dev/null),node_modules/.installed)
node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund
	touch $@

## run: install, migrate, load the demo stories, serve on http://127.0.0.1:8000 with a worker (DEBUG on)
run: $(VENV)/.installed
	DJANGO_DEBUG=1 $(BIN)/python manage.py migrate --no-input
	DJANGO_DEBUG=1 $(BIN)/python manage.py seed_demo
	@$(MAKE) --no-print-directory serve-dev

# The development server and a worker, both reloading on code changes.
# The worker gets a session of its own (setsid) so that its reloader and the
# child running the jobs stop together when the trap signals the group;
# Ctrl-C reaches this shell, the trap runs, nothing is left behind.
serve-dev:
	DJANGO_DEBUG=1 setsid $(BIN)/python manage.py run_worker & worker=$$!; \
	trap 'kill -TERM -$$worker 2>/dev/null; wait $$worker' EXIT; \
	trap 'exit 130' INT TERM; \
	DJANGO_DEBUG=1 $(BIN)/python manage.py runserver $(ADDRESS)

## worker: a production background worker; run it beside `make serve` (README, Background jobs)
worker: $(VENV)/.installed
	$(BIN)/python manage.py run_worker --no-reload --queue-name '*'

## test: install the test tools, lint, run every test (DATABASE_URL picks the database)
test: $(VENV)/.installed-dev $(NODE_TOOLS)
	$(if $(NODE_TOOLS),,@echo "npm is missing: the axe-core accessibility tests will skip (apt-get install -y npm)")
	$(BIN)/ruff check .
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## faults: load and fault tests (200 posts, Redis stopped, PostgreSQL crashed, upload cut off)
faults: $(VENV)/.installed-dev
	$(BIN)/python -m pytest -m faults -rA $(PYTEST_ARGS)

$(VENV)/.installed-bench: $(VENV)/.installed requirements-bench.txt
	$(BIN)/python -m pip install --quiet -r requirements-bench.txt
	touch $@

## bench-photos: time our renditions vs bare Pillow vs sorl-thumbnail on 24 MP JPEGs (COUNT=5)
COUNT ?= 5
bench-photos: $(VENV)/.installed-bench
	$(BIN)/python -m bench.bench_photos --count $(COUNT)

## bench-photo-memory: peak memory of an upload's image work, for the largest file of each kind we accept
bench-photo-memory: $(VENV)/.installed
	$(BIN)/python -m bench.bench_photo_memory

## bench-uploads: a 24 MP upload request vs its renditions job; 20 photos in one request under gunicorn
bench-uploads: $(VENV)/.installed
	$(BIN)/python -m bench.bench_uploads

## bench-screening: precision, recall and time per comment of the abuse classifier on the labelled set
bench-screening: $(VENV)/.installed
	$(BIN)/python -m bench.bench_screening

## bench-edge: a cached story through Varnish vs the static file from gunicorn; approval to visible there
bench-edge: $(VENV)/.installed
	$(BIN)/python -m bench.bench_edge $(if $(QUICK),--quick)

## bench: page speed at 1k and 100k stories on PostgreSQL, cached/uncached/xtd peer/busy day, then bench-edge
# QUICK=1 is CI's two-minute smoke of bench_pages alone; the edge run's own
# smoke (about a minute more) is `make bench-edge QUICK=1`.
ARTICLES ?= 100000
bench: $(VENV)/.installed
	$(BIN)/python -m bench.bench_pages $(if $(QUICK),--quick,--articles $(ARTICLES))
	$(if $(QUICK),,$(BIN)/python -m bench.bench_edge)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## serve: production server (gunicorn + whitenoise); needs the production settings in the environment
serve: $(VENV)/.installed
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py collectstatic --no-input
	$(BIN)/gunicorn newsroom.wsgi --workers $(WORKERS) --bind $(ADDRESS) --access-logfile -

## superuser: create the first editor account (DEBUG on unless the environment says otherwise)
superuser: $(VENV)/.installed
	$(DEV_ENV) $(BIN)/python manage.py migrate --no-input
	$(DEV_ENV) $(BIN)/python manage.py createsuperuser

## staff: a desk account for one role: make staff EMAIL=lin@example.org ROLE=editor|reporter|moderator
staff: $(VENV)/.installed
	$(DEV_ENV) $(BIN)/python manage.py migrate --no-input
	$(DEV_ENV) $(BIN)/python manage.py create_staff "$(EMAIL)" --role "$(ROLE)"

## demo: load the demo content (safe to repeat); STORIES=N makes N stories in all
demo: $(VENV)/.installed
	$(DEV_ENV) $(BIN)/python manage.py migrate --no-input
	$(DEV_ENV) $(BIN)/python manage.py seed_demo $(if $(STORIES),--articles $(STORIES))

## manage: any manage.py command in development: make manage ARGS="check_citations --now"
manage: $(VENV)/.installed
	$(DEV_ENV) $(BIN)/python manage.py $(ARGS)

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache .ruff_cache
