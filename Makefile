# make reproduce  : build the bundled BPJS study and print its table (creates .venv)
# make figures    : redraw the README's figures of the bundled study into notebooks/figures/
# make test       : type-check the package, then run the whole test suite (creates .venv)
# make bench      : run the benchmarks in benchmarks/
# make soak       : the long crash-and-concurrency soak (50 kills, 4 writers, 1 reader)
# make lab        : install what the notebooks need into .venv, then open JupyterLab on notebooks/
#                   (LAB_ARGS="--no-browser --port 8890" on a machine without a browser)
# make e2e        : notebook 01 and the coding view in JupyterLab in headless Chromium (installs
#                   chromium when missing); prints the coding view's selection-to-highlight latency
# make fuzz       : mutational fuzzing of every reader (FUZZ_INPUTS per reader, random seed; crashes
#                   go to tests/regressions/), then the Hypothesis tests with random seeds
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
LAB_STAMP := $(VENV)/.installed-notebook
LAB_ARGS ?=

# Hypothesis profiles (tests/conftest.py): "ci", derandomised, is the default; `make fuzz` uses "fuzz".
HYPOTHESIS_PROFILE ?= ci
export HYPOTHESIS_PROFILE
FUZZ_INPUTS ?= 2000
FUZZ_SECONDS ?= 600

.PHONY: reproduce test lab bench soak e2e fuzz clean figures

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(PY) pyproject.toml
	$(PY) -m pip install --quiet -e ".[test,plot]"
	touch $(STAMP)

reproduce: $(STAMP)
	$(VENV)/bin/somecode reproduce --out outputs

figures: $(STAMP)
	$(PY) -c 'from somecode.study import write_figures; write_figures("notebooks/figures")'

test: $(STAMP)
	$(PY) -m mypy
	$(PY) -m pytest

$(LAB_STAMP): $(STAMP) pyproject.toml
	$(PY) -m pip install --quiet -e ".[notebook]"
	touch $(LAB_STAMP)

lab: $(LAB_STAMP)
	$(VENV)/bin/jupyter lab --ServerApp.root_dir=notebooks $(if $(filter 0,$(shell id -u)),--allow-root) $(LAB_ARGS)

bench: $(STAMP)
	$(PY) -m pip install --quiet -e ".[bench]"
	$(PY) benchmarks/run.py

e2e: $(STAMP)
	command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)
	$(PY) -m pip install --quiet -e ".[notebook,e2e]"
	$(PY) -m pytest e2e -q

soak: $(STAMP)
	SOMECODE_SOAK=full $(PY) -m pytest tests/test_soak.py -q

fuzz: $(STAMP)
	status=0; \
	$(PY) tests/fuzz/fuzz_readers.py --inputs $(FUZZ_INPUTS) --seconds $(FUZZ_SECONDS) || status=1; \
	HYPOTHESIS_PROFILE=fuzz $(PY) -m pytest -q -p no:cacheprovider tests/test_fuzz.py tests/test_properties.py \
		tests/test_readers_hardened.py || status=1; \
	exit $$status

clean:
	rm -rf $(VENV) outputs .pytest_cache .hypothesis
