# kizuna: `make run` to try it, `make test` to check it.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Rasa 3.6 needs Python 3.10; the app uses 3.11. Override on the command line if yours live elsewhere.
PYTHON311 ?= $(shell for p in python3.11 $$HOME/.pyenv/versions/3.11*/bin/python3.11; do $$p -c 'import sys; assert sys.version_info[:2] == (3, 11)' 2>/dev/null && { echo $$p; break; }; done)
PYTHON310 ?= $(shell for p in python3.10 $$HOME/.pyenv/versions/3.10*/bin/python3.10; do $$p -c 'import sys; assert sys.version_info[:2] == (3, 10)' 2>/dev/null && { echo $$p; break; }; done)

APP_VENV  := .venv
RASA_VENV := .venv-rasa
PIP_QUIET := --quiet --disable-pip-version-check

.PHONY: help envs test-tools setup run test test-fast audit clean-models

help:
	@echo "make run    build what is missing, then start the assistant (Ctrl-C stops it)"
	@echo "make test   build what is missing, then run the whole test suite"
	@echo "make setup  only build the two Python environments and train missing models"
	@echo "make audit  pip-audit both environments; fails on findings not triaged (SECURITY.md)"

$(APP_VENV)/.installed: pyproject.toml requirements/app-constraints.txt
	@test -n "$(PYTHON311)" || { echo "Python 3.11 not found; set PYTHON311=/path/to/python3.11"; exit 1; }
	@echo "==> building the app environment ($(APP_VENV), Python 3.11)"
	$(PYTHON311) -m venv $(APP_VENV)
	$(APP_VENV)/bin/pip install $(PIP_QUIET) --upgrade pip
	$(APP_VENV)/bin/pip install $(PIP_QUIET) torch==2.13.0
	$(APP_VENV)/bin/pip install $(PIP_QUIET) -c requirements/app-constraints.txt -e ".[dev]"
	@touch $@

$(RASA_VENV)/.installed: requirements/rasa.txt
	@test -n "$(PYTHON310)" || { echo "Python 3.10 not found (Rasa 3.6 needs it); set PYTHON310=/path/to/python3.10"; exit 1; }
	@echo "==> building the Rasa environment ($(RASA_VENV), Python 3.10; about 2 minutes)"
	$(PYTHON310) -m venv $(RASA_VENV)
	$(RASA_VENV)/bin/pip install $(PIP_QUIET) --upgrade "pip<24.1"
	$(RASA_VENV)/bin/pip install $(PIP_QUIET) -r requirements/rasa.txt
	@touch $@

# The two environments build side by side (mostly downloads and unpacking).
envs:
	@$(MAKE) --no-print-directory -j2 $(APP_VENV)/.installed $(RASA_VENV)/.installed

setup: envs
	$(APP_VENV)/bin/kizuna setup

run: envs
	$(APP_VENV)/bin/kizuna run

# The browser tests drive Debian's Chromium headless, and the scale-out test puts Debian's nginx in
# front of two replicas of each process; without them those tests are skipped (and say why).
test-tools:
	@missing=""; command -v chromium >/dev/null || missing=" chromium"; \
	  command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing="$$missing nginx"; \
	  if [ -n "$$missing" ]; then if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "==> installing$$missing for the browser and scale-out tests"; \
	    apt-get install -y -qq $$missing >/dev/null || { apt-get update -qq && apt-get install -y -qq $$missing >/dev/null; }; \
	  else echo "Not installed:$$missing (apt-get install$$missing) - the tests that need them will be skipped"; fi; fi

test: envs test-tools
	$(APP_VENV)/bin/lint-imports
	$(APP_VENV)/bin/kizuna setup --no-demo
	$(APP_VENV)/bin/python -m pytest -ra --durations=15

test-fast: envs
	$(APP_VENV)/bin/python -m pytest -ra -m "not integration and not slow"

# Known vulnerabilities in both environments (pip-audit), each finding checked against the triage
# file (SECURITY.md). No reachable vulnerability service is reported, not failed; STRICT=1 fails it.
audit: envs
	$(APP_VENV)/bin/python scripts/dependency_audit.py $(if $(STRICT),--strict)

clean-models:
	rm -rf models
