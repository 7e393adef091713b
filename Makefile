# make reproduce  : build the bundled BPJS study and print its table (creates .venv)
# make test       : run the whole test suite (creates .venv)
# make bench      : run the benchmarks in benchmarks/
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: reproduce test bench clean

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(PY) pyproject.toml
	$(PY) -m pip install --quiet -e ".[test,plot]"
	touch $(STAMP)

reproduce: $(STAMP)
	$(VENV)/bin/somecode reproduce --out outputs

test: $(STAMP)
	$(PY) -m pytest

bench: $(STAMP)
	$(PY) -m pip install --quiet -e ".[bench]"
	$(PY) benchmarks/run.py

clean:
	rm -rf $(VENV) outputs .pytest_cache .hypothesis
