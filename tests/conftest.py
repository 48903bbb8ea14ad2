"""The suite's one fixture family: demo data, a trained model, a template database, apps.

Built once per session and never written to: `demo_data_dir` (~3,000 synthetic clients, seed 1),
`trained_model` (a quick training registered in a temporary MLflow store, as the real pipeline
registers it), `database_template` (a SQLite file migrated to head by Flask-Migrate, with the
demo clients and the advisor account) and `demo_ids` (an accepted and a refused stored client).

Per test: `make_app(**overrides)` builds `create_app(overrides)` on its own copy of the template,
scoring with the session's model; `app`, `client`, `runner`, `db`, `api_key`, `anonymous` and
`advisor` (a test client signed in as the advisor) are built on it, and `app_without_model` (a
MODEL_URI that holds no model). A test that writes never leaks into the next, and the app caches
the loaded model per (MODEL_URI, tracking URI) for the whole process, so every app of the
session shares one loaded model.
"""

import contextlib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.helpers import ADVISOR, PASSWORD

# create_app(mapping) applies the mapping on top of the class APP_ENV picks: TestConfig for the
# whole suite. Tests of production behaviour pass ProductionConfig or set APP_ENV themselves.
os.environ["APP_ENV"] = "testing"
# Idle OpenMP threads yield instead of spinning (set before scikit-learn/LightGBM load libgomp):
# on the shared 2-core machine spinning threads made tree training up to 20x slower.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

# One headless Chromium and one PostgreSQL server per session, for the tests that need them.
pytest_plugins = ["tests.playwright_fixtures", "tests.postgres_fixtures"]

DEMO_CLIENTS = 3000
DEMO_SEED = 1


def _hypothesis_profiles() -> None:
    """Property and fuzz tests are reproducible in `make test`: a fixed seed ("ci", the default).

    `make fuzz` and HYPOTHESIS_PROFILE=explore draw new random examples instead; whatever they
    find becomes an explicit regression example in the test that missed it.
    """
    from hypothesis import settings

    settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
    settings.register_profile("explore", derandomize=False, database=None, max_examples=500)
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


_hypothesis_profiles()


@contextlib.contextmanager
def testing_environment():
    """APP_ENV=testing while a session fixture is built: the first test to need it may be one
    that set APP_ENV=production for itself (the session's data must not depend on which)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("APP_ENV", "testing")
        yield


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


@pytest.fixture(scope="session")
def model_settings(request):
    """Where apps load the model from: the session's trained model.

    TEST_MODEL_URI (a saved model directory) skips the training when iterating on app tests.
    """
    if os.environ.get("TEST_MODEL_URI"):
        return {"MODEL_URI": os.environ["TEST_MODEL_URI"], "MLFLOW_TRACKING_URI": None}
    trained = request.getfixturevalue("trained_model")
    return {"MODEL_URI": trained.model_uri, "MLFLOW_TRACKING_URI": trained.tracking_uri}


@pytest.fixture(scope="session")
def database_template(tmp_path_factory, demo_data_dir):
    """A SQLite file migrated to head (`flask db upgrade`), the demo clients and the advisor."""
    import flask_migrate

    from app import create_app
    from app.auth.accounts import create_advisor
    from app.extensions import db
    from app.services.clients import load_clients

    path = tmp_path_factory.mktemp("template") / "app.db"
    with testing_environment():
        settings = {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "MODEL_URI": "not-needed"}
        app = create_app(settings)
    with app.app_context():
        flask_migrate.upgrade()
        load_clients(demo_data_dir)
        create_advisor(ADVISOR, PASSWORD)
        db.session.remove()
        db.engine.dispose()  # checkpoints the WAL into the file before it is copied
    return path


@pytest.fixture(scope="session")
def make_app(request, tmp_path_factory):
    """The app factory: `make_app(**overrides)` is `create_app(overrides)` (TestConfig under them).

    Unless the overrides name them, the app gets its own copy of `database_template` and the
    session's model; naming them also skips building what they would have needed.
    """
    from app import create_app

    def build(**overrides):
        # Never the store an earlier test left in os.environ: mlflow.set_tracking_uri writes it
        # there, and create_app reads the environment under the overrides.
        settings = {"MLFLOW_TRACKING_URI": None}
        if "SQLALCHEMY_DATABASE_URI" not in overrides:
            path = tmp_path_factory.mktemp("app") / "app.db"
            shutil.copy(request.getfixturevalue("database_template"), path)
            settings["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{path}"
        if "MODEL_URI" not in overrides:
            settings.update(request.getfixturevalue("model_settings"))
        return create_app({**settings, **overrides})

    return build


def close(app) -> None:
    """Release the app's database connections (the file can then be copied or removed)."""
    from app.extensions import db

    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def app(make_app):
    """A fresh app on its own copy of the template database, with the session's model."""
    app = make_app()
    yield app
    close(app)


@pytest.fixture
def app_without_model(make_app, tmp_path):
    """The app with MODEL_URI pointing at a directory that holds no model."""
    return make_app(MODEL_URI=str(tmp_path / "no-model-here"))


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def anonymous(app):
    """A test client that has not signed in."""
    return app.test_client()


@pytest.fixture
def advisor(app):
    """A test client signed in as the advisor through the real sign-in form.

    No app context is held open around its requests: Flask would reuse it, and Flask-Login's
    cached user in `g` would leak into later anonymous requests.
    """
    client = app.test_client()
    response = client.post("/auth/sign-in", data={"username": ADVISOR, "password": PASSWORD})
    assert response.status_code == 302
    return client


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def db(app):
    """The Flask-SQLAlchemy handle inside an app context."""
    from app.extensions import db as database

    with app.app_context():
        yield database
        database.session.remove()


@pytest.fixture
def api_key(app):
    """A valid X-API-Key (named "tests")."""
    from app.auth.api_keys import create_key

    with app.app_context():
        return create_key("tests")


@pytest.fixture(scope="session")
def demo_ids(make_app):
    """An accepted and a refused stored client (application_test), scored once without logging."""
    import sqlalchemy as sa

    from app.extensions import db
    from app.models import Client
    from app.services import scoring
    from app.services.clients import require_clients

    with testing_environment():
        app = make_app()
    with app.app_context():
        query = sa.select(Client.sk_id_curr).where(Client.is_training.is_(False)).limit(200)
        ids = list(db.session.scalars(query))
        clients = [scoring.Application.of(c) for c in require_clients(ids)]
        scores = scoring.score_applications(clients)
    close(app)
    return {
        "accepted": next(s.client_id for s in scores if s.decision == "accepted"),
        "refused": next(s.client_id for s in scores if s.decision == "refused"),
    }


# --- Spark (local mode): one session for the whole run, the JVM takes seconds to start ---------
# Tests that use it are marked `spark`; they run in `make test` and CI like the others.
SPARK_TEST_SETTINGS = {
    "spark.sql.shuffle.partitions": "2",
    "spark.driver.memory": "1g",
    # a short-lived JVM: quick JIT and a simple collector start faster
    "spark.driver.extraJavaOptions": "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC",
}


@pytest.fixture(scope="session")
def spark_runner():
    """A SparkRunner on local[2], shared by every Spark test, stopped at the end."""
    from training.engine.spark_runner import SparkRunner

    runner = SparkRunner(master="local[2]", settings=SPARK_TEST_SETTINGS)
    yield runner
    runner.spark.stop()
