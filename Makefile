# ic2analysis: `make reports` builds everything, `make test` checks it. `make help` lists all.
#
# User values (MAPPING, RUN, SET, PARAMS, K, SEED) reach Python only as exported environment
# variables (IC2_MAPPING ... IC2_SEED), taken with $(value ...) so that make never expands
# them and no recipe's shell text contains them. Nothing runs or is written at parse time:
# `make help` and `make -n` write nothing.
SHELL := /bin/bash
.DEFAULT_GOAL := help
.SUFFIXES:
.DELETE_ON_ERROR:

export IC2_PYTHON = $(value PYTHON)
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
SYSTEM := $(VENV)/.system
KERNEL := ic2analysis
QUIET  := $(if $(CI),-q,)

# make would export (and so expand) variables given on the command line or in the environment:
# unexport them, and pass only the unexpanded IC2_* copies.
unexport MAPPING RUN SET PARAMS K SEED PYTHON BUILD FROM
export IC2_MAPPING = $(value MAPPING)
export IC2_RUN = $(value RUN)
export IC2_SET = $(value SET)
export IC2_PARAMS = $(value PARAMS)
export IC2_K = $(value K)
export IC2_SEED = $(value SEED)
export IC2_FROM = $(value FROM)

# ---- what each notebook imports (a change re-runs only the notebooks that use it)
rwildcard = $(filter-out %.pyc %/__pycache__,$(foreach d,$(wildcard $(1:=/*)),$(call rwildcard,$d,$2) $(filter $(subst *,%,$2),$d)))
CORE      := $(filter-out ic2analysis/cli.py ic2analysis/sweep.py ic2analysis/paramfiles.py,$(wildcard ic2analysis/*.py)) \
             $(call rwildcard,ic2analysis/resources/nbconvert,*) ic2analysis/reporting/export.py \
             ic2analysis/reporting/nbimports.py
CLEANING  := $(call rwildcard,ic2analysis/cleaning,*.py) $(wildcard ic2analysis/resources/*.csv) $(wildcard data/bodies.csv)
ANALYSIS  := $(call rwildcard,ic2analysis/analysis,*.py)
FIGURES   := $(wildcard ic2analysis/reporting/figures*.py) \
             $(call rwildcard,ic2analysis/reporting/figures,*.py) \
             $(call rwildcard,ic2analysis/reporting/fonts,*)
REPORTING := $(call rwildcard,ic2analysis/reporting,*)

# Reviewed lists that notebook 02 reads (region-marked terms, instruments, topic names) and
# the check set of known Europe-China counterparts.
REVIEWED := $(wildcard params/region_marked_terms.yaml params/instruments.yaml \
            params/topic_names.yaml params/counterpart_pairs.csv)

# ---- one run's targets. BUILD is the run name, validated by `cli reports` which calls
# `make build BUILD=<name>`; '' is the default, committed run.
NOTEBOOKS := 01_clean 02_topics 03_bridges
BUILD ?=
export IC2_BUILD = $(value BUILD)
OUT := $(if $(value BUILD),reports/runs/$(value BUILD),reports)
RUN_NBS := $(NOTEBOOKS:%=$(OUT)/notebooks/%.ipynb)

# ---- every generated file of the default run: `verify` rebuilds them, `distclean` removes them
GENERATED := data/processed/*.csv data/datapackage.json reports/tables reports/figures \
             reports/notebooks reports/params reports/catalogue reports/assets \
             reports/index.html reports/index.zh.html reports/manifest.json reports/stamps.json
COMMITTED := reports data/processed data/datapackage.json

.PHONY: help setup reports build params test test-fast lint format sync lab verify sweep \
        bench diff clean distclean lock

help: ## Show this list of targets
	@echo "ic2analysis - personalised medicine in Europe and China"
	@echo
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk -F':.*?## ' '{printf "  make %-10s %s\n", $$1, $$2}'
	@echo
	@echo "Parameters (make reports ...): K=8 SEED=1 MAPPING=file.csv PARAMS=file.yaml"
	@echo "  SET=\"key=value ...\" RUN=name. Non-default runs write to reports/runs/<name>/."

setup: $(STAMP) $(SYSTEM) ## Create .venv from requirements.lock and register the Jupyter kernel

$(STAMP): requirements.lock pyproject.toml
	@echo "Setting up $(VENV) from requirements.lock ..."
	@test -x $(PY) || "$${IC2_PYTHON:-$$(command -v python3.11 || command -v python3)}" -m venv $(VENV)
	@$(PY) -m pip install $(QUIET) --disable-pip-version-check -r requirements.lock
	@$(PY) -m pip install $(QUIET) --disable-pip-version-check --no-deps -e .
	@$(PY) -c "from ic2analysis.runner import install_kernel; install_kernel()"
	@touch $@

# A CJK font so that Chinese text in figures renders (Debian's fonts-wqy-microhei).
$(SYSTEM):
	@mkdir -p $(VENV)
	@if [ ! -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing fonts-wqy-microhei (CJK font for figures) ..."; \
	    (apt-get install -y -qq fonts-wqy-microhei >/dev/null 2>&1 || \
	     (apt-get update -qq >/dev/null && apt-get install -y -qq fonts-wqy-microhei >/dev/null)); \
	  else echo "warning: install the fonts-wqy-microhei package for Chinese text in figures"; fi; \
	fi
	@touch $@

# Staleness is decided by content (ic2analysis/staleness.py: hashes of each notebook's
# parameters, data and imported modules, recorded in reports/stamps.json), so a fresh clone
# with current outputs runs nothing. `make -q reports` runs the check ('+' lines run under
# -q), which writes nothing and exits 1 when a notebook or the index would run.
ifneq (,$(findstring q,$(filter-out --%,$(firstword -$(MAKEFLAGS)))))
reports: $(STAMP) $(SYSTEM)
	+@$(PY) -m ic2analysis.cli reports --question
else
reports: $(STAMP) $(SYSTEM) ## Run the notebooks whose inputs changed (by content), write the reports
	@$(PY) -m ic2analysis.cli reports
endif

# Called by `cli reports` (which validated every parameter, holds the run's lock and wrote the
# run's params/*.yaml and params/inputs.sha256, each only when it changed).
build: $(OUT)/index.html ## (internal, called by `cli reports`) build one validated run

$(OUT)/params/%.yaml:
	@echo "error: the run's parameter files are written by 'make reports'" >&2; exit 1
$(OUT)/params/inputs.sha256:
	@echo "error: the run's input fingerprint is written by 'make reports'" >&2; exit 1

$(OUT)/notebooks/%.ipynb: notebooks/%.ipynb notebooks/%.py $(OUT)/params/%.yaml $(CORE) $(FIGURES)
	@$(PY) -m ic2analysis.cli execute $*

$(OUT)/notebooks/01_clean.ipynb: $(OUT)/params/inputs.sha256 $(CLEANING)
$(OUT)/notebooks/02_topics.ipynb: $(OUT)/notebooks/01_clean.ipynb $(CLEANING) $(ANALYSIS) $(REVIEWED)
$(OUT)/notebooks/03_bridges.ipynb: $(OUT)/notebooks/02_topics.ipynb $(CLEANING) $(ANALYSIS) \
                                   $(wildcard params/known_body_pairs.csv)

$(OUT)/index.html: $(RUN_NBS) $(CORE) $(REPORTING)
	@$(PY) -m ic2analysis.cli report
	@echo "Reports: $(OUT)/index.html  (notebooks: $(OUT)/notebooks/, tables: $(OUT)/tables/, figures: $(OUT)/figures/)"

params: $(STAMP) ## Regenerate params/*.yaml and the notebooks' parameters cells from config.py
	@$(PY) -m ic2analysis.cli defaults
	@$(VENV)/bin/ruff format -q notebooks
	@$(VENV)/bin/jupytext -q --sync notebooks/*.py

NBVAL := --nbval-kernel-name $(KERNEL) --nbval-sanitize-with tests/nbval_sanitize.cfg
test: $(STAMP) ## All tests: unit, data, make, browser, and nbval over the executed notebooks
	@$(PY) -m pytest -q tests reports/notebooks/*.ipynb --nbval $(NBVAL) -p no:cacheprovider

test-fast: $(STAMP) ## Unit tests only (not marked slow; under 30 s)
	@$(PY) -m pytest -q tests -m "not slow" -p no:cacheprovider

lint: $(STAMP) ## ruff check, ruff format --check, parameters from config, jupytext pairing
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/ruff format --check .
	@$(PY) -m ic2analysis.cli defaults --check
	@$(PY) -m ic2analysis.cli pairs

format: $(STAMP) ## ruff format (and import sorting) over the tree, then sync the notebook pairs
	@$(VENV)/bin/ruff check -q --select I --fix .
	@$(VENV)/bin/ruff format .
	@$(VENV)/bin/jupytext -q --sync notebooks/*.py

sync: $(STAMP) ## Bring each notebooks/*.ipynb in line with its paired .py (the newer wins)
	@$(VENV)/bin/jupytext --sync notebooks/*.py

lab: $(STAMP) ## Open JupyterLab on the project's kernel
	@$(VENV)/bin/jupyter lab --notebook-dir=notebooks

verify: $(STAMP) ## Rebuild the default reports from data/raw and fail if any committed file differs
	@rm -rf $(GENERATED) reports/.cache
	@env -u IC2_MAPPING -u IC2_RUN -u IC2_SET -u IC2_PARAMS -u IC2_K -u IC2_SEED $(PY) -m ic2analysis.cli reports
	@git status --porcelain --untracked-files=all -- $(COMMITTED) | grep . && { echo "verify: untracked or changed outputs (above)"; git diff --stat -- $(COMMITTED); exit 1; } || true
	@git diff --exit-code --stat -- $(COMMITTED) && echo "verify: the committed reports are exactly what the code produces"

sweep: $(STAMP) ## Run the topics notebook once per setting: make sweep K="6 8 10 12" [SET="min_df=1 2"]
	@$(PY) -m ic2analysis.cli sweep

diff: $(STAMP) ## What changed in the mapping since a release: make diff FROM=v1.0.0 (tables/changes.csv)
	@$(PY) -m ic2analysis.cli diff

bench: $(STAMP) ## Scaling benchmark (1k, 10k, 100k items) against plain TF-IDF + LSA + KMeans, with the issue 18 targets
	@$(PY) benchmarks/bench.py

lock: ## Re-pin requirements.lock from the current .venv
	@$(PY) -m pip freeze --exclude-editable | grep -v '^ic2analysis' > requirements.lock.tmp
	@{ echo "# Exact pins of every package in .venv (Python 3.11). \`make\` installs from this file."; echo "# Regenerate with: make lock"; cat requirements.lock.tmp; } > requirements.lock && rm requirements.lock.tmp

clean: ## Remove runs, sweeps, stages, locks and caches (never data/raw nor the committed reports)
	rm -rf reports/runs reports/sweeps reports/.cache .pytest_cache .ruff_cache benchmarks/results/raw .make
	find . -name __pycache__ -type d -prune -not -path './.venv/*' -exec rm -rf {} +
	find reports \( -name '*.failed.ipynb' -o -name '.lock' \) -delete
	find reports -name '.stage-*' -prune -exec rm -rf {} +

distclean: clean ## Also remove .venv and every generated output (make reports rebuilds them)
	rm -rf $(VENV) $(GENERATED)
