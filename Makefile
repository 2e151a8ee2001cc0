# consult: `make run` serves the demo on http://127.0.0.1:5000; `make test` runs the whole suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
STAMP := $(VENV)/.installed

.PHONY: run test lint translations compile-translations db demo bench clean

$(STAMP): requirements.txt requirements-dev.txt
	@test -n "$(PYTHON)" || { echo "Python 3.11 is needed (python3.11 or python3 on the PATH)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

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
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing the report fonts: fonts-noto-core fonts-noto-cjk"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	      apt-get install -y -qq fonts-noto-core fonts-noto-cjk >/dev/null) || true; \
	  fi; \
	  $(BIN)/python -m consult.reports.fonts || echo "continuing: the PDF report answers 503 until then"; \
	}

run: demo fonts
	@echo "Serving on http://127.0.0.1:5000 (Ctrl-C to stop)"
	$(FLASK) run --host 127.0.0.1 --port 5000

test: compile-translations fonts
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check consult tests config.py wsgi.py

# Extract every message, merge it into the six catalogues, compile. Translate, then run again.
translations: $(STAMP)
	$(BIN)/pybabel --quiet extract -F babel.cfg -k _l -k lazy_gettext -k lazy_ngettext:1,2 --no-location --sort-output --project consult -o translations/messages.pot .
	$(BIN)/pybabel --quiet update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete
	$(BIN)/pybabel --quiet compile -d translations

bench: compile-translations
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
