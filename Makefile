# ic2analysis: `make reports` builds everything, `make test` checks it. `make help` lists all.
SHELL := /bin/bash
.DEFAULT_GOAL := help
.SUFFIXES:
.DELETE_ON_ERROR:

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
SYSTEM := $(VENV)/.system
KERNEL := ic2analysis
QUIET  := $(if $(CI),-q,)

# ---- which run: the default (committed) run, or a named run for other parameters or data
# K=8, SEED=1, MAPPING=path/to/file.csv, PARAMS=my.yaml, SET="key=value ...", RUN=name
empty :=
space := $(empty) $(empty)
RUN_PARTS := $(if $(K),k$(K)) $(if $(SEED),seed$(SEED)) \
  $(if $(MAPPING),$(basename $(notdir $(MAPPING)))) $(if $(PARAMS),$(basename $(notdir $(PARAMS)))) \
  $(if $(SET),set-$(shell printf '%s' '$(SET)' | cksum | cut -c1-6))
RUN ?= $(subst $(space),_,$(strip $(RUN_PARTS)))
OUT := $(if $(RUN),reports/runs/$(RUN),reports)
OVERRIDES := $(if $(K),--set 'k=$(K)') $(if $(SEED),--set 'seed=$(SEED)') \
  $(if $(MAPPING),--set 'mapping=["$(MAPPING)"]') $(foreach s,$(SET),--set '$(s)') \
  $(if $(PARAMS),--file '$(PARAMS)')

NOTEBOOKS := 01_clean 02_topics 03_bridges
RAW := $(if $(MAPPING),$(MAPPING),$(wildcard data/raw/*.csv data/raw/*.xlsx))
PKG := $(shell find ic2analysis \( -name "*.py" -o -path "*/resources/*" \) -type f -not -path "*/__pycache__/*" | LC_ALL=C sort)
RUN_PARAMS := $(NOTEBOOKS:%=$(OUT)/params/%.yaml)
RUN_NBS := $(NOTEBOOKS:%=$(OUT)/notebooks/%.ipynb)
COMMITTED := reports data/processed

.PHONY: help setup reports test lint lab verify sweep bench clean distclean lock

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
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
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

reports: $(OUT)/index.html ## Run every notebook (incrementally) and write the reports

# The command-line overrides are recorded in a file that changes only when they change, so
# that a run's parameter files are rewritten exactly when their inputs change (.make/ is
# git-ignored).
STATE := .make
OVERRIDE_FILE := $(STATE)/$(or $(RUN),default).overrides
_ := $(shell mkdir -p $(STATE); printf '%s\n' "$(OVERRIDES)" > $(OVERRIDE_FILE).new; \
  if cmp -s $(OVERRIDE_FILE).new $(OVERRIDE_FILE); then rm -f $(OVERRIDE_FILE).new; \
  else mv $(OVERRIDE_FILE).new $(OVERRIDE_FILE); fi)

$(OUT)/params/%.yaml: params/%.yaml $(OVERRIDE_FILE) $(PARAMS) | $(STAMP)
	@$(PY) -m ic2analysis.cli params --run '$(RUN)' --notebook $* $(OVERRIDES)

$(OUT)/notebooks/01_clean.ipynb: notebooks/01_clean.ipynb $(OUT)/params/01_clean.yaml $(PKG) $(RAW) | $(STAMP) $(SYSTEM)
	@$(PY) -m ic2analysis.cli execute 01_clean --run '$(RUN)'

$(OUT)/notebooks/02_topics.ipynb: notebooks/02_topics.ipynb $(OUT)/params/02_topics.yaml $(PKG) $(OUT)/notebooks/01_clean.ipynb
	@$(PY) -m ic2analysis.cli execute 02_topics --run '$(RUN)'

$(OUT)/notebooks/03_bridges.ipynb: notebooks/03_bridges.ipynb $(OUT)/params/03_bridges.yaml $(PKG) $(OUT)/notebooks/02_topics.ipynb
	@$(PY) -m ic2analysis.cli execute 03_bridges --run '$(RUN)'

$(OUT)/index.html: $(RUN_NBS) $(PKG)
	@$(PY) -m ic2analysis.cli report --run '$(RUN)'
	@echo "Reports: $(OUT)/index.html  (notebooks: $(OUT)/notebooks/, tables: $(OUT)/tables/, figures: $(OUT)/figures/)"

test: $(STAMP) ## Unit tests, data tests, browser test, and nbval over the executed notebooks
	@$(PY) -m pytest -q tests reports/notebooks/*.ipynb --nbval \
	  --nbval-kernel-name $(KERNEL) --nbval-sanitize-with tests/nbval_sanitize.cfg -p no:cacheprovider

lint: $(STAMP) ## ruff over the package, tests and benchmarks
	@$(VENV)/bin/ruff check .

lab: $(STAMP) ## Open JupyterLab on the project's kernel
	@$(VENV)/bin/jupyter lab --notebook-dir=notebooks

verify: $(STAMP) ## Rebuild the default reports from data/raw and fail if any committed file differs
	@rm -rf $(STATE) data/processed/*.csv reports/tables reports/figures reports/notebooks reports/params reports/index.html reports/manifest.json
	@$(MAKE) --no-print-directory reports RUN=
	@git status --porcelain --untracked-files=all -- $(COMMITTED) | grep . && { echo "verify: untracked or changed outputs (above)"; git diff --stat -- $(COMMITTED); exit 1; } || true
	@git diff --exit-code --stat -- $(COMMITTED) && echo "verify: the committed reports are exactly what the code produces"

sweep: $(STAMP) ## Run the topics notebook once per setting: make sweep K="6 8 10 12" [SET="min_df=1 2"]
	@$(PY) -m ic2analysis.cli sweep $(if $(K),--set 'k=$(K)') $(foreach s,$(SET),--set '$(s)')

bench: $(STAMP) ## Scaling benchmark (1k, 10k, 100k items) against plain scikit-learn
	@$(PY) benchmarks/bench.py

lock: ## Re-pin requirements.lock from the current .venv
	@$(PY) -m pip freeze --exclude-editable | grep -v '^ic2analysis' > requirements.lock.tmp
	@{ echo "# Exact pins of every package in .venv (Python 3.11). \`make\` installs from this file."; echo "# Regenerate with: make lock"; cat requirements.lock.tmp; } > requirements.lock && rm requirements.lock.tmp

clean: ## Remove runs, sweeps and caches (never data/raw nor the committed reports)
	rm -rf reports/runs reports/sweeps .pytest_cache .ruff_cache benchmarks/results/raw
	find . -name __pycache__ -type d -prune -not -path './.venv/*' -exec rm -rf {} +
	find reports -name '*.failed.ipynb' -delete

distclean: clean ## Also remove .venv and every generated output (make reports rebuilds them)
	rm -rf $(VENV) $(STATE) data/processed/*.csv reports/tables reports/figures reports/notebooks reports/params reports/index.html reports/manifest.json

