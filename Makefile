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

.PHONY: run test install system-deps data model db clients demo-accounts serve lint bench clean

install: $(VENV)/.installed
$(VENV)/.installed: requirements.txt requirements-dev.txt constraints.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt -c constraints.txt
	touch $@

system-deps:
	bash .ci/install-system-deps

data: $(DEMO_DATA)/application_train.csv
$(DEMO_DATA)/application_train.csv: | $(VENV)/.installed
	$(BIN)/python -m training.synthetic --out $(DEMO_DATA) --clients $(DEMO_CLIENTS) --seed 42

model: instance/.model-trained
instance/.model-trained: $(DEMO_DATA)/application_train.csv
	$(BIN)/python -m training.train --data $(DEMO_DATA) --quick
	touch $@

run: model
	@echo "Model registered. Open the MLflow UI with:"
	@echo "  $(BIN)/mlflow ui --backend-store-uri $(MLFLOW_TRACKING_URI)"

test: $(VENV)/.installed system-deps
	$(BIN)/pytest

lint: $(VENV)/.installed
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

clean:
	rm -rf instance/data instance/mlflow.db instance/mlartifacts instance/.model-trained
