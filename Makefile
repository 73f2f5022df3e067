# tapeout: make-style front end. Every target is a thin call of the `tapeout` CLI.
#   make flow                         set up .venv and run the whole flow on the default design
#   make test                         set up .venv and run the test suite
#   make explore [SPACE=designs/explore/x.toml]  design-space exploration (continues an earlier run)
#   make test-install                 build the wheel, install it into a fresh venv, run it in an empty directory
#   make dist                         the sdist and wheel in dist/ (python -m build)
#   make <stage> DESIGN=counter       run one stage (and what it depends on); the stages are those
#                                     of `tapeout stages`: any target not below is handed to `tapeout run`
# DESIGN is a design name (designs/<name>.toml, or a built-in design) or a path to a TOML file.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
DESIGN ?= tc4x4
SETUP  := $(VENV)/.installed
PYTEST_ARGS ?=

.PHONY: setup flow test test-install dist lint status metrics designs stages report fpga explore clean clean-all

$(SETUP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(SETUP)

setup: $(SETUP)

flow: $(SETUP)
	$(BIN)/tapeout run -d $(DESIGN)

test: lint
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

test-install: $(SETUP)
	$(BIN)/python -m pytest -q -m install tests/install $(PYTEST_ARGS)

dist: $(SETUP)
	$(BIN)/python -m build --outdir dist

lint: $(SETUP)
	$(BIN)/ruff check .

status metrics: $(SETUP)
	$(BIN)/tapeout $@ -d $(DESIGN)

designs stages: $(SETUP)
	$(BIN)/tapeout $@

report: $(SETUP)
	$(BIN)/tapeout report -d $(DESIGN)

BOARD ?= icebreaker
fpga: $(SETUP)
	$(BIN)/tapeout fpga --board $(BOARD) -d $(DESIGN)

SPACE ?= designs/explore/array.toml
explore: $(SETUP)
	$(BIN)/tapeout explore $(SPACE) --resume

clean: $(SETUP)
	$(BIN)/tapeout clean -d $(DESIGN)

clean-all:
	rm -rf build

# Any other target names a stage (`make synth`, `make signoff DESIGN=counter`).
.DEFAULT:
	@$(MAKE) --no-print-directory setup
	$(BIN)/tapeout run $@ -d $(DESIGN)
