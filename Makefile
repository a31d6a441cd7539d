# heatpath — set-up and everyday commands. `make demo` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: install demo test bench lint clean

# (Re)create the virtualenv and install heatpath with its test extras; idempotent: only
# re-runs when pyproject.toml changes or the venv is missing.
install: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	@touch $(STAMP)

demo: install
	$(VENV)/bin/heatpath run examples/toy/toy.toml --out out/demo/toy --force
	$(VENV)/bin/heatpath assess out/demo/toy

# the HTML report is tested in headless Chromium (Debian packages, installed if missing)
test: install
	bash scripts/install-test-deps.sh
	$(PY) -m pytest -q

bench: install
	$(PY) benchmarks/run.py

lint: install
	$(VENV)/bin/ruff check heatpath tests benchmarks examples

clean:
	rm -rf $(VENV) out .pytest_cache
