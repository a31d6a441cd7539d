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

# the bundled Bucharest case: reference, Scenario 1 and 2 for 2028 and 2035, EED enforced,
# compared against the reference of each year, with the HTML report
BUCHAREST := $(foreach y,2028 2035,$(foreach s,reference scenario1 scenario2,examples/bucharest/$(s)_$(y).toml))
demo: install
	$(VENV)/bin/heatpath compare $(BUCHAREST) --out out/demo/bucharest --force --report

# the HTML report is tested in headless Chromium (Debian packages, installed if missing)
test: install
	bash scripts/install-test-deps.sh
	$(PY) -m pytest -q

# benchmarks compare against PyPSA (the bench extra, on top of the test set-up) and flixopt,
# which pins older linopy and pandas and so gets its own venv, with heatpath's highspy version
FXVENV := .venv-flixopt
bench: install
	$(PY) -m pip install --quiet -e ".[test,bench]"
	@test -x $(FXVENV)/bin/python || $(PYTHON) -m venv $(FXVENV)
	$(FXVENV)/bin/python -m pip install --quiet -r benchmarks/requirements-flixopt.txt \
	  "highspy==$$($(PY) -c 'from importlib.metadata import version; print(version("highspy"))')"
	$(PY) benchmarks/run.py

lint: install
	$(VENV)/bin/ruff check heatpath tests benchmarks examples

clean:
	rm -rf $(VENV) $(FXVENV) out .pytest_cache
