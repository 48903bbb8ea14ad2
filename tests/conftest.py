"""Session fixtures shared by every test folder: demo data and a trained model.

Built once per session: ~3,000 synthetic clients (seed 1) and a quick training on them into a
temporary MLflow SQLite store, with the champion registered as the real pipeline registers it.
"""

import os
from dataclasses import dataclass
from pathlib import Path

import pytest

# The dashboard fixtures (app with demo clients, signed-in advisor) serve tests/pages and
# tests/browser; declared here so their session-scoped database is built once.
pytest_plugins = ["tests.pages.fixtures", "tests.playwright_fixtures", "tests.postgres_fixtures"]

# Idle OpenMP threads yield instead of spinning (set before scikit-learn/LightGBM load libgomp):
# on the shared 2-core machine spinning threads made tree training up to 20x slower.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

DEMO_CLIENTS = 3000
DEMO_SEED = 1


@dataclass
class TrainedModel:
    """A model trained and registered in a temporary MLflow store."""

    tracking_uri: str
    model_uri: str
    model: object  # training.model.CreditRiskModel, loaded back from the registry
    result: object  # training.train.TrainingResult
    data_dir: Path


@pytest.fixture(scope="session")
def demo_data_dir(tmp_path_factory):
    """The 8 synthetic CSV files for ~3,000 clients, generated once per session."""
    from training.synthetic import generate

    out = tmp_path_factory.mktemp("demo-data")
    generate(out, DEMO_CLIENTS, DEMO_SEED)
    return out


@pytest.fixture(scope="session")
def trained_model(demo_data_dir, tmp_path_factory):
    """Quick training on the demo data, champion loaded back through the registry."""
    import mlflow

    from training.candidates import fixture_candidates
    from training.registry import CHAMPION_ALIAS, MODEL_NAME
    from training.train import train

    store = tmp_path_factory.mktemp("mlflow")
    tracking_uri = f"sqlite:///{store / 'mlflow.db'}"
    result = train(demo_data_dir, quick=True, uri=tracking_uri, candidates=fixture_candidates())
    model_uri = f"models:/{MODEL_NAME}@{CHAMPION_ALIAS}"
    model = mlflow.pyfunc.load_model(model_uri).unwrap_python_model()
    return TrainedModel(tracking_uri, model_uri, model, result, demo_data_dir)


# --- App fixtures (scoring service): app, client, runner, db, api_key --------------------------
# A migrated SQLite database with the demo client store is built once per session and copied per
# test, so each test starts from the same real database in a fraction of a second.


def _app_config(database_uri: str, model_settings: dict):
    from app.config import TestConfig

    settings = {"SQLALCHEMY_DATABASE_URI": database_uri, **model_settings}
    return type("AppTestConfig", (TestConfig,), settings)


@pytest.fixture(scope="session")
def app_model_settings(trained_model):
    """Where the app loads the session's trained model from (MODEL_URI, MLFLOW_TRACKING_URI)."""
    return {"MODEL_URI": trained_model.model_uri, "MLFLOW_TRACKING_URI": trained_model.tracking_uri}


@pytest.fixture(scope="session")
def app_database_template(tmp_path_factory, demo_data_dir):
    """A SQLite file migrated to head (`flask db upgrade`) with the demo clients loaded."""
    import flask_migrate

    from app import create_app
    from app.extensions import db as database
    from app.services.clients import load_clients

    path = tmp_path_factory.mktemp("app-db") / "template.db"
    app = create_app(_app_config(f"sqlite:///{path}", {"MODEL_URI": "not-needed-here"}))
    with app.app_context():
        flask_migrate.upgrade()
        load_clients(demo_data_dir)
        database.engine.dispose()  # checkpoints the WAL into the file before it is copied
    return path


@pytest.fixture
def app(tmp_path, app_database_template, app_model_settings):
    """A fresh app on its own copy of the migrated, client-loaded database."""
    import shutil

    from app import create_app

    path = tmp_path / "app.db"
    shutil.copy(app_database_template, path)
    app = create_app(_app_config(f"sqlite:///{path}", app_model_settings))
    yield app
    with app.app_context():
        from app.extensions import db as database

        database.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def db(app):
    """The Flask-SQLAlchemy handle inside an app context."""
    from app.extensions import db as database

    with app.app_context():
        yield database


@pytest.fixture
def api_key(app):
    """A valid X-API-Key (named "tests")."""
    from app.auth.api_keys import create_key

    with app.app_context():
        return create_key("tests")
