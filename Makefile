# The two commands: `make run` (install, demo data, train, serve) and `make test` (whole suite).
# Every step leaves a stamp or a file behind, so running a command twice redoes nothing.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
DEMO_DATA := instance/data/demo
DEMO_CLIENTS ?= 20000
export MLFLOW_TRACKING_URI ?= sqlite:///$(CURDIR)/instance/mlflow.db
export FLASK_APP := app
PORT ?= 5000
FLASK := $(BIN)/flask

.PHONY: run test install system-deps data model db clients demo-accounts drift lint clean

# uv installs the pinned set in parallel from its cache: ~15 s instead of pip's ~2 min on a warm
# cache. Heroku's buildpack still installs requirements.txt with pip.
UV_VERSION := 0.13.9
install: $(VENV)/.installed
$(VENV)/.installed: requirements.txt requirements-train.txt requirements-dev.txt constraints.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet uv==$(UV_VERSION)
	$(BIN)/uv pip install --quiet --python $(BIN)/python -r requirements-dev.txt -c constraints.txt
	touch $@

system-deps:
	bash .ci/install-system-deps

data: $(DEMO_DATA)/application_train.csv
$(DEMO_DATA)/application_train.csv: | $(VENV)/.installed
	$(BIN)/python -m training.synthetic --out $(DEMO_DATA) --clients $(DEMO_CLIENTS) --seed 42

model: instance/.model-trained
instance/.model-trained: $(DEMO_DATA)/application_train.csv
	# The demo's card goes to instance/: docs/model_card.md stays the committed example.
	$(BIN)/python -m training.train --data $(DEMO_DATA) --quick --model-card instance/model_card.md
	touch $@

db: $(VENV)/.installed
	$(FLASK) db upgrade

clients: instance/.clients-loaded
instance/.clients-loaded: instance/.model-trained
	$(FLASK) db upgrade
	$(FLASK) clients load $(DEMO_DATA)
	touch $@

# The demo advisor and API key are made once; their secrets stay in instance/ (git-ignored).
demo-accounts: instance/demo-api-key.txt
instance/demo-api-key.txt: instance/.clients-loaded
	@echo "$${DEMO_ADVISOR_PASSWORD:-demo-advisor}" | $(FLASK) users create advisor --password-stdin --exist-ok
	$(FLASK) api-keys create demo | tail -n 1 > $@.tmp && mv $@.tmp $@

# Two drift runs for the monitoring page: the demo's new applicants, then the logged predictions.
drift: instance/.drift-demo
instance/.drift-demo: instance/demo-api-key.txt
	$(FLASK) clients score --limit 500
	$(FLASK) drift run --current $(DEMO_DATA)/application_test.csv
	$(FLASK) drift run --last 500
	touch $@

run: instance/.drift-demo
	@echo ""
	@echo "Prêt à dépenser is serving on http://127.0.0.1:$(PORT)"
	@echo "  advisor sign-in : advisor / $${DEMO_ADVISOR_PASSWORD:-demo-advisor}"
	@echo "  demo API key    : $$(cat instance/demo-api-key.txt)   (header X-API-Key)"
	@echo "  MLflow UI       : $(BIN)/mlflow ui --backend-store-uri $(MLFLOW_TRACKING_URI)"
	PORT=$(PORT) $(BIN)/gunicorn --config gunicorn.conf.py --bind 127.0.0.1:$(PORT) "app:create_app()"

# PYTEST_ARGS passes options on, e.g. PYTEST_ARGS="-n 2 --dist loadscope" where cores are idle
# (each xdist worker builds its own demo data, model and template database: ~25 s of CPU).
test: $(VENV)/.installed system-deps
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

clean:
	rm -rf instance/data instance/*.db instance/mlartifacts instance/.model-trained instance/.clients-loaded \
	  instance/demo-api-key.txt instance/.drift-demo
