# Two commands do all the set-up: `make run` opens dprk-tui on the seeds, `make test` runs every test.
# Both create a project-local virtual environment in .venv on first use (with uv when it is on the
# PATH, else with pip) and say what they are doing at each step.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
UV := $(shell command -v uv 2>/dev/null)

.PHONY: run test screenshots bench clean

$(STAMP): pyproject.toml
	@echo "make: creating the virtual environment $(VENV) ($(PYTHON))"
	@$(if $(UV),$(UV) venv --quiet --seed --python $(PYTHON) $(VENV),$(PYTHON) -m venv $(VENV))
	@echo "make: installing dprk-tui and its dependencies (spaCy, its English model, Textual…)$(if $(UV), with uv, with pip: about 20-60 s)"
	@$(if $(UV),$(UV) pip install --quiet --python $(BIN)/python -e '.[test]',$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]')
	@touch $(STAMP)
	@echo "make: installed"

run: $(STAMP)
	$(BIN)/dprk-tui

test: $(STAMP)
	$(BIN)/python -m pytest

screenshots: $(STAMP)
	$(BIN)/python -m tests.screenshots

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
