# OrderDesk: `make run` to try it, `make test` to check it. Nothing else is needed.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
PY     := $(VENV)/bin/python
HOST   ?= 127.0.0.1
PORT   ?= 8000
# Plain HTTP on a local run; production terminates TLS and leaves this unset.
# Executed orders reach the "ERP" as one JSON file each in var/erp-outbox.
ERP_DIR := $(CURDIR)/var/erp-outbox
RUN_ENV := ORDERDESK_HTTPS=false ERP_ADAPTER=$${ERP_ADAPTER-filedrop} ERP_FILEDROP_DIR=$${ERP_FILEDROP_DIR-$(ERP_DIR)}

.PHONY: install browser run test lint bench clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

install: $(VENV)/.installed

# The inbox's browser tests drive Debian's chromium through Playwright (its own
# browser download cannot work here). Installed when missing and we may; the
# tests skip, saying why, where neither holds.
CHROMIUM ?= /usr/bin/chromium
browser:
	@test -x $(CHROMIUM) || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; elif command -v sudo >/dev/null; then SUDO="sudo -n"; else SUDO=none; fi; \
	  if [ "$$SUDO" = none ] || ! command -v apt-get >/dev/null; then \
	    echo "chromium is not installed and cannot be installed here: browser tests will skip"; \
	  else \
	    $$SUDO apt-get install -y -q chromium >/dev/null 2>&1 || \
	    { $$SUDO apt-get update -q >/dev/null && $$SUDO apt-get install -y -q chromium >/dev/null; } || \
	    echo "installing chromium failed: browser tests will skip"; \
	  fi; }

run: install
	@mkdir -p $(ERP_DIR)
	$(RUN_ENV) $(PY) manage.py migrate --noinput
	$(RUN_ENV) $(PY) manage.py collectstatic --noinput --verbosity 0
	$(RUN_ENV) $(PY) manage.py demo_data
	$(RUN_ENV) $(PY) manage.py setup_schedules
	$(RUN_ENV) $(PY) manage.py demo_inbox
	$(RUN_ENV) $(PY) manage.py ensure_admin --url http://$(HOST):$(PORT)/
	@$(RUN_ENV) $(PY) manage.py qcluster & QCLUSTER=$$!; \
	trap 'kill $$QCLUSTER 2>/dev/null; wait $$QCLUSTER 2>/dev/null' EXIT INT TERM; \
	$(RUN_ENV) $(VENV)/bin/gunicorn orderdesk.wsgi --bind $(HOST):$(PORT) \
		--workers 2 --threads 4 --timeout 120 --access-logfile - --error-logfile -

test: install browser
	$(PY) -m pytest -q

lint: install
	$(VENV)/bin/ruff check .

bench: install
	$(PY) bench/import_products.py
	$(PY) bench/pipeline.py

clean:
	rm -rf $(VENV) var
