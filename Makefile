# Two commands for a newcomer: `make run` and `make test`. Everything else is a step of those.
PYTHON_BIN ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-search install system-libraries migrate catalogues demo lint check-migrations messages clean opensearch opensearch-stop a11y-tools

$(VENV)/.installed: requirements.txt requirements-test.txt
	$(PYTHON_BIN) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-test.txt
	touch $@

# The PDF documents (WeasyPrint) need Pango and the DejaVu fonts from Debian: say what is
# missing (as root, SYSTEM_INSTALL=1 installs it with apt-get).
system-libraries:
	@tools/check_system_libraries.sh $(if $(SYSTEM_INSTALL),--install,)

install: system-libraries $(VENV)/.installed

catalogues: install
	$(PY) tools/compile_catalogues.py

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate catalogues
	$(PY) manage.py load_demo_content --if-empty

run: demo
	@echo "Serving http://$(HOST):$(PORT)/ (admin at http://$(HOST):$(PORT)/admin/)"
	$(PY) manage.py runserver $(HOST):$(PORT)

# Test files run in parallel, one file per worker at a time (module fixtures stay whole);
# TEST_WORKERS=0 runs them in this process.
TEST_WORKERS ?= auto
test: catalogues a11y-tools
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

# The accessibility checkers the browser tests run (tests/test_browser_accessibility.py):
# axe-core and the Nu HTML checker (vnu.jar, run with Debian's Java), pinned in
# tools/a11y/package-lock.json. Install scripts are not run (vnu-jar's would fetch a Java).
# Without npm the tests that need them skip (and fail in CI).
A11Y_TOOLS := tools/a11y/node_modules/.installed
$(A11Y_TOOLS): tools/a11y/package.json tools/a11y/package-lock.json
	@if command -v npm >/dev/null; then \
		npm ci --prefix tools/a11y --ignore-scripts --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: the axe-core and Nu HTML checker tests will skip"; fi

a11y-tools: $(A11Y_TOOLS)

# The search tests alone (and the case-study listing, which searches too), e.g. against
# OpenSearch: SEARCH_URL=opensearch://127.0.0.1:9200 make test-search
test-search: catalogues
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile tests/test_search.py tests/test_search_language.py tests/test_search_relevance.py tests/test_search_outage.py tests/test_public_channels.py tests/test_casestudies.py $(PYTEST_ARGS)

# A real single-node OpenSearch 2.19 from Maven Central jars (needs Java 17 and Maven).
opensearch:
	tools/opensearch/run.sh start

opensearch-stop:
	tools/opensearch/run.sh stop

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

check-migrations: install
	DJANGO_SETTINGS_MODULE=portal.settings.test $(PY) manage.py makemigrations --check --dry-run

# Refresh the catalogues after changing strings (needs GNU gettext's xgettext).
messages: install
	$(PY) manage.py makemessages --all --no-obsolete --ignore=.venv --ignore=var --ignore=tests
	$(PY) tools/compile_catalogues.py

clean:
	rm -rf var/static var/test-media
