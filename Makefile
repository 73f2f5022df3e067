# tapeout: make-style front end. Every target is a thin call of the `tapeout` CLI.
#   make flow                         set up .venv and run the whole flow on the default design
#   make test                         set up .venv and run the test suite
#   make <stage> DESIGN=designs/x.toml  run one stage (and what it depends on)

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
DESIGN ?= designs/tc4x4.toml
STAGES := arch rtl verify synth place route signoff package
SETUP  := $(VENV)/.installed
PYTEST_ARGS ?=

.PHONY: setup flow test status metrics designs report fpga clean clean-all $(STAGES)

$(SETUP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(SETUP)

setup: $(SETUP)

flow: $(SETUP)
	$(BIN)/tapeout run -d $(DESIGN)

$(STAGES): $(SETUP)
	$(BIN)/tapeout run $@ -d $(DESIGN)

test: $(SETUP)
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

status metrics: $(SETUP)
	$(BIN)/tapeout $@ -d $(DESIGN)

designs: $(SETUP)
	$(BIN)/tapeout designs

report: $(SETUP)
	$(BIN)/tapeout report -d $(DESIGN)

BOARD ?= icebreaker
fpga: $(SETUP)
	$(BIN)/tapeout fpga --board $(BOARD) -d $(DESIGN)

clean: $(SETUP)
	$(BIN)/tapeout clean -d $(DESIGN)

clean-all:
	rm -rf build
