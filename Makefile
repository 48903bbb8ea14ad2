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

.PHONY: run test fuzz install translations messages system-deps data model db clients demo-accounts drift outcomes lint clean

# uv installs the pinned set in parallel from its cache: ~15 s instead of pip's ~2 min on a warm
# cache. Heroku's buildpack still installs requirements.txt with pip.
UV_VERSION := 0.13.9
install: $(VENV)/.installed
$(VENV)/.installed: requirements.txt requirements-train.txt requirements-dev.txt constraints.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet uv==$(UV_VERSION)
	$(BIN)/uv pip install --quiet --python $(BIN)/python -r requirements-dev.txt -c constraints.txt
	touch $@

# Page languages (docs/architecture.md, "Translations"): the .po catalogs are the source, the
# .mo files Flask-Babel reads are built here (git-ignored). `make messages` re-extracts the
# strings and merges them into every catalog; translate the new entries, then `make translations`.
CATALOGS := $(wildcard translations/*/LC_MESSAGES/messages.po)
translations: $(CATALOGS:.po=.mo)
translations/%/LC_MESSAGES/messages.mo: translations/%/LC_MESSAGES/messages.po | $(VENV)/.installed
	$(BIN)/pybabel compile --statistics -l $* -d translations

messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k Nn_:1,2 -k plural:1,2 --add-location=file \
	  --sort-by-file --project="Pret a depenser" -o translations/messages.pot app templates
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching \
	  --ignore-obsolete --width=100

system-deps:
	bash .ci/install-system-deps

data: $(DEMO_DATA)/application_train.csv
$(DEMO_DATA)/application_train.csv: | $(VENV)/.installed
	$(BIN)/python -m training.synthetic --out $(DEMO_DATA) --clients $(DEMO_CLIENTS) --seed 42

model: instance/.model-trained
# The model is built by the training code: a change to it (new features) retrains the demo model,
# which the app would otherwise refuse at load (it no longer scores with this code).
TRAINING_CODE := $(wildcard training/*.py training/engine/*.py)
instance/.model-trained: $(DEMO_DATA)/application_train.csv $(TRAINING_CODE)
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

# Human oversight on the demo: the model's held-out clients scored, simulated advisor decisions
# (some overridden) on every batch scoring, their outcomes (the synthetic TARGET) written and
# loaded like a real file, then one performance run, so the performance page has real numbers.
outcomes: instance/.outcomes-demo
instance/.outcomes-demo: instance/.drift-demo
	$(FLASK) outcomes demo $(DEMO_DATA) instance/data/demo-outcomes.csv
	$(FLASK) outcomes load instance/data/demo-outcomes.csv
	$(FLASK) performance run
	touch $@

run: translations instance/.outcomes-demo  # catalogs first: the app warns at each start without them
	@echo ""
	@echo "Prêt à dépenser is serving on http://127.0.0.1:$(PORT)"
	@echo "  advisor sign-in : advisor / $${DEMO_ADVISOR_PASSWORD:-demo-advisor}"
	@echo "  demo API key    : $$(cat instance/demo-api-key.txt)   (header X-API-Key)"
	@echo "  MLflow UI       : $(BIN)/mlflow ui --backend-store-uri $(MLFLOW_TRACKING_URI)"
	PORT=$(PORT) $(BIN)/gunicorn --config gunicorn.conf.py --bind 127.0.0.1:$(PORT) "app:create_app()"

# One pytest-xdist worker per core, at most four: each worker builds its own demo data, model and
# template database (~25 s of CPU), and a free worker takes work from a busy one (worksteal), so
# the long browser tests do not leave a core idle. On this 2-core machine: 416 s against 564-677 s
# in one process (docs/benchmarks.md, "Test suite"). PYTEST_WORKERS=0 runs in one process;
# PYTEST_ARGS passes further options on (-k, -x, a test path).
PYTEST_WORKERS ?= auto
test: $(VENV)/.installed translations system-deps
	$(BIN)/pytest -n $(PYTEST_WORKERS) --maxprocesses 4 --dist worksteal $(PYTEST_ARGS)

# Schemathesis against a gunicorn it starts: all checks, stateful phase, random seed (printed).
# FUZZ_EXAMPLES=N per operation and phase, FUZZ_SEED=S to replay a run.
fuzz: instance/demo-api-key.txt
	bin/fuzz-api

lint: $(VENV)/.installed
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

clean:
	rm -rf instance/data instance/*.db instance/mlartifacts instance/.model-trained instance/.clients-loaded \
	  instance/demo-api-key.txt instance/.drift-demo instance/.outcomes-demo
