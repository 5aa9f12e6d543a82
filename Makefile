# One way to set up and run backstride. Each target creates .venv and installs what it needs.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck bench load soak eval figures screenshots vendor clean

NODE_STAMP := node_modules/.installed

$(STAMP): pyproject.toml
	@# pdftoppm/pdftotext (poppler-utils) let the tests render the PDF export, and Debian's
	@# chromium runs the browser tests (Playwright drives it; no browser is downloaded).
	@# Installed when we can (root with apt); elsewhere those tests skip with a message.
	@missing=""; command -v pdftoppm >/dev/null || missing="$$missing poppler-utils"; \
	  command -v chromium >/dev/null || missing="$$missing chromium"; \
	  command -v npm >/dev/null || missing="$$missing npm"; \
	  if [ -n "$$missing" ]; then \
	    if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	      (apt-get update -qq && apt-get install -y -qq $$missing >/dev/null) \
	        || echo "note: could not install$$missing"; \
	    else echo "note: not found:$$missing (the PDF render and browser tests skip)"; fi; \
	  fi
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

# axe-core for the browser tests, and the npm packages the web app's vendored files come from
# (package.json, package-lock.json). Skipped with a note where npm is missing.
$(NODE_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null; then \
	  npm ci --no-audit --no-fund --ignore-scripts --loglevel=error && touch $(NODE_STAMP); \
	else echo "note: npm not found; the accessibility checks of the browser tests skip"; fi

## Start the web app at http://127.0.0.1:8000 (SQLite in the data folder).
run: $(STAMP)
	$(BIN)/backstride serve

## The whole test suite: lint, types, then pytest (browser tests included).
test: $(STAMP) lint typecheck
	@$(MAKE) --no-print-directory $(NODE_STAMP) || true
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts

typecheck: $(STAMP)
	$(BIN)/mypy

## Benchmarks, reported as ratios against a baseline measured in the same run.
bench: $(STAMP)
	@$(MAKE) --no-print-directory $(NODE_STAMP) || true
	$(BIN)/pip install -q -e '.[dev,bench,load]'
	$(BIN)/pytest benchmarks --benchmark-enable --benchmark-only -p no:cacheprovider

## Load test (issue 13): 200 simulated people on 2 web workers + 1 job worker, PostgreSQL on
## 127.0.0.1 (BACKSTRIDE_TEST_POSTGRES), against the trivial endpoint; about 3 minutes.
load: $(STAMP)
	$(BIN)/pip install -q -e '.[dev,load]'
	$(BIN)/python scripts/load_test.py load

## Soak test (not part of `make test`): 10 minutes at moderate load; worker memory growth <= 10%.
soak: $(STAMP)
	$(BIN)/pip install -q -e '.[dev,load]'
	$(BIN)/python scripts/load_test.py soak

## Evaluate the development vignettes in all three modes.
eval: $(STAMP)
	for m in story interview full; do $(BIN)/backstride eval tests/vignettes/dev.jsonl --mode $$m; done

## Rewrite docs/figures/contact_sheet.svg and render every figure to PNG in build/figures to look at.
figures: $(STAMP)
	$(BIN)/python scripts/figure_sheet.py --png build/figures

## Run the browser tests and keep their screenshots in docs/screenshots (shown in the README).
screenshots: $(STAMP)
	@$(MAKE) --no-print-directory $(NODE_STAMP) || true
	BACKSTRIDE_SCREENSHOTS=docs $(BIN)/pytest tests/web/test_browser.py -k screenshots

## Copy htmx and Swagger UI from node_modules into the web app (after changing package.json).
vendor: $(STAMP) $(NODE_STAMP)
	$(BIN)/python scripts/vendor_web_assets.py

clean:
	rm -rf $(VENV) build *.egg-info node_modules
