# One way to set up and run backstride. Each target creates .venv and installs what it needs.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck bench eval figures clean

$(STAMP): pyproject.toml
	@# pdftoppm/pdftotext (poppler-utils) let the tests render the PDF export. Installed when we
	@# can (root with apt); elsewhere those tests skip with a message saying what is missing.
	@command -v pdftoppm >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null \
	  && (apt-get update -qq && apt-get install -y -qq poppler-utils >/dev/null) \
	  || echo "note: pdftoppm not found; install poppler-utils to run the PDF render tests"; }
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

## Start the terminal interview (the app's embedded default).
run: $(STAMP)
	$(BIN)/backstride check

## The whole test suite: lint, types, then pytest.
test: $(STAMP) lint typecheck
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts

typecheck: $(STAMP)
	$(BIN)/mypy

## Benchmarks, reported as ratios against a baseline measured in the same run.
bench: $(STAMP)
	$(BIN)/pip install -q -e '.[dev,bench]'
	$(BIN)/pytest benchmarks --benchmark-enable --benchmark-only -p no:cacheprovider

## Evaluate the development vignettes in all three modes.
eval: $(STAMP)
	for m in story interview full; do $(BIN)/backstride eval tests/vignettes/dev.jsonl --mode $$m; done

## Rewrite docs/figures/contact_sheet.svg and render every figure to PNG in build/figures to look at.
figures: $(STAMP)
	$(BIN)/python scripts/figure_sheet.py --png build/figures

clean:
	rm -rf $(VENV) build *.egg-info
