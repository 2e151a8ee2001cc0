# consult: `make run` serves the demo on http://127.0.0.1:5000 (gunicorn); `make test` runs the whole suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
STAMP := $(VENV)/.installed
#: `make run`'s address and gunicorn workers: `make run PORT=5001 WORKERS=4`.
PORT ?= 5000
WORKERS ?= 2
#: Debian's packages are installed with this (as root): `make test APT_GET="echo apt-get"` only says what.
APT_GET ?= apt-get
AS_ROOT ?= $(shell [ "$$(id -u)" = 0 ] && echo yes)

.PHONY: run test lint translations compile-translations db demo bench clean lock

# The lock (requirements-dev.txt: every package, pinned, with its hashes) is what is installed, and only it.
$(STAMP): requirements.txt requirements-dev.txt
	@test -n "$(PYTHON)" || { echo "Python 3.11 is needed (python3.11 or python3 on the PATH)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements-dev.txt
	touch $(STAMP)

# Write the locks again from requirements.in and requirements-dev.in (the pins people edit), with pip-tools
# in a venv of its own. Versions already locked are kept: `make lock LOCK_ARGS="--upgrade-package NAME"`
# moves one on, `LOCK_ARGS=--upgrade` all of them.
PIP_TOOLS := $(VENV)/pip-tools
LOCK_FLAGS := --quiet --generate-hashes --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links
lock:
	@test -x $(PIP_TOOLS)/bin/pip-compile || { \
	  $(PYTHON) -m venv $(PIP_TOOLS) && $(PIP_TOOLS)/bin/python -m pip install --quiet pip-tools==7.7.0; }
	CUSTOM_COMPILE_COMMAND="make lock" $(PIP_TOOLS)/bin/pip-compile $(LOCK_FLAGS) $(LOCK_ARGS) \
	  -o requirements.txt requirements.in
	CUSTOM_COMPILE_COMMAND="make lock" $(PIP_TOOLS)/bin/pip-compile $(LOCK_FLAGS) $(LOCK_ARGS) \
	  -o requirements-dev.txt requirements-dev.in

compile-translations: $(STAMP)
	$(BIN)/pybabel --quiet compile -d translations

db: compile-translations
	$(FLASK) db upgrade

demo: db
	$(FLASK) consult demo

# The PDF report's fonts (Debian's Noto): installed when missing and apt-get can (as root); otherwise a
# message naming the packages, and everything but the PDF report works.
.PHONY: fonts
fonts: $(STAMP)
	@$(BIN)/python -m consult.reports.fonts --quiet || { \
	  if [ "$(AS_ROOT)" = yes ] && command -v $(firstword $(APT_GET)) >/dev/null 2>&1; then \
	    echo "installing the report fonts: fonts-noto-core fonts-noto-cjk"; \
	    ($(APT_GET) update -qq && DEBIAN_FRONTEND=noninteractive \
	      $(APT_GET) install -y -qq fonts-noto-core fonts-noto-cjk >/dev/null) || true; \
	  fi; \
	  $(BIN)/python -m consult.reports.fonts || echo "continuing: the PDF report answers 503 until then"; \
	}

# What the browser, accessibility, PDF-image and Redis tests drive, from Debian (package:command): installed
# when missing and apt-get can (as root); otherwise the one line to run, and the suite goes on without them
# (their tests are skipped, except in CI where they fail).
TEST_PACKAGES ?= chromium:chromium poppler-utils:pdftoppm redis-server:redis-server
.PHONY: test-packages
test-packages:
	@missing=""; for item in $(TEST_PACKAGES); do \
	  command -v "$${item#*:}" >/dev/null 2>&1 || missing="$$missing $${item%%:*}"; done; \
	if [ -n "$$missing" ] && [ "$(AS_ROOT)" = yes ] && command -v $(firstword $(APT_GET)) >/dev/null 2>&1; then \
	  echo "installing what the tests drive:$$missing"; \
	  ($(APT_GET) update -qq && DEBIAN_FRONTEND=noninteractive \
	    $(APT_GET) install -y -qq $$missing >/dev/null) || true; \
	  missing=""; for item in $(TEST_PACKAGES); do \
	    command -v "$${item#*:}" >/dev/null 2>&1 || missing="$$missing $${item%%:*}"; done; \
	fi; \
	if [ -n "$$missing" ]; then \
	  echo "missing:$$missing (their tests are skipped); to install: sudo apt-get install$$missing"; fi

# The Redis and multi-server tests need Redis and PostgreSQL listening on 127.0.0.1 (`.ci/run` starts them).
.PHONY: test-services
test-services:
	@for service in "Redis 6379 redis-server --daemonize yes --bind 127.0.0.1 --save ''" \
	  "PostgreSQL 5432 pg_ctlcluster 15 main start (user postgres, trusted on 127.0.0.1)"; do \
	  set -- $$service; $(PYTHON) -c "import socket; socket.create_connection(('127.0.0.1', $$2), 1)" \
	    2>/dev/null || echo "no $$1 on 127.0.0.1:$$2: the tests that need it are skipped; to start one: $${service#* * }"; \
	done

# The production server, as deployed (README, "Deploying"): several workers share the secret key and the
# SQLite database kept in instance/.
run: demo fonts
	@echo "Serving on http://127.0.0.1:$(PORT) with gunicorn, $(WORKERS) workers (Ctrl-C to stop)"
	PUBLIC_URL="$${PUBLIC_URL:-http://127.0.0.1:$(PORT)}" $(BIN)/gunicorn --workers $(WORKERS) \
	  --worker-class gthread --threads 4 --bind 127.0.0.1:$(PORT) --access-logfile - wsgi:app

test: compile-translations fonts test-packages test-services
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Style, then the house: imports that run up the layers or close a circle fail (pyproject.toml, importlinter).
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check consult tests config.py wsgi.py
	$(BIN)/lint-imports --no-cache

# Extract every message, merge it into the six catalogues, compile. Translate, then run again.
translations: $(STAMP)
	$(BIN)/pybabel --quiet extract -F babel.cfg -k _l -k lazy_gettext -k lazy_ngettext:1,2 -k lazy_pgettext:1c,2 --no-location --sort-output --project consult -o translations/messages.pot .
	$(BIN)/pybabel --quiet update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete
	$(BIN)/pybabel --quiet compile -d translations

bench: compile-translations
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
