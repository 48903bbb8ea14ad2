"""Dashboard fixtures (registered in tests/conftest.py via pytest_plugins): an app with the demo
clients loaded, the session's model and an advisor.

The database (demo clients + one advisor) is built once per session and copied for each test,
so a test that writes (predictions, new clients) never leaks into the next.
"""

import os
import shutil
from dataclasses import dataclass

import pytest

from app import create_app
from app.config import TestConfig
from app.extensions import db as _db
from tests.helpers import ADVISOR, PASSWORD


@dataclass
class ModelSource:
    model_uri: str
    tracking_uri: str | None


@pytest.fixture(scope="session")
def model_source(request) -> ModelSource:
    """The session's trained model; PAGES_TEST_MODEL_URI reuses a saved model dir (iteration)."""
    if os.environ.get("PAGES_TEST_MODEL_URI"):
        return ModelSource(os.environ["PAGES_TEST_MODEL_URI"], None)
    trained = request.getfixturevalue("trained_model")
    return ModelSource(trained.model_uri, trained.tracking_uri)


def make_app(database_path, source: ModelSource, **overrides):
    settings = {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database_path}",
        "MODEL_URI": source.model_uri,
        "MLFLOW_TRACKING_URI": source.tracking_uri,
        **overrides,
    }
    return create_app(type("PagesTestConfig", (TestConfig,), settings))


@pytest.fixture(scope="session")
def pages_database(tmp_path_factory, demo_data_dir, model_source):
    """A SQLite file with the schema, the demo clients (train + test) and one advisor."""
    from app.auth.accounts import create_advisor
    from app.services.clients import load_clients

    path = tmp_path_factory.mktemp("pages-db") / "template.db"
    app = make_app(path, model_source)
    with app.app_context():
        _db.create_all()
        load_clients(demo_data_dir)
        create_advisor(ADVISOR, PASSWORD)
        _db.session.remove()
        _db.engine.dispose()
    return path


@pytest.fixture
def pages_app(tmp_path, pages_database, model_source):
    path = tmp_path / "app.db"
    shutil.copy(pages_database, path)
    app = make_app(path, model_source)
    yield app
    with app.app_context():
        _db.session.remove()
        _db.engine.dispose()


@pytest.fixture
def anonymous(pages_app):
    return pages_app.test_client()


@pytest.fixture
def advisor(pages_app):
    """A test client signed in as the demo advisor."""
    client = pages_app.test_client()
    response = client.post("/auth/sign-in", data={"username": ADVISOR, "password": PASSWORD})
    assert response.status_code == 302
    return client


@pytest.fixture
def demo_ids(pages_app):
    """Ids of stored clients: one looked-up (test file) client accepted and one refused."""
    import sqlalchemy as sa

    from app.models import Client
    from app.services import scoring
    from app.services.clients import require_clients

    with pages_app.app_context():
        ids = list(
            _db.session.scalars(
                sa.select(Client.sk_id_curr).where(Client.is_training.is_(False)).limit(200)
            )
        )
        clients = [scoring.Application.of(c) for c in require_clients(ids)]
        scores = scoring.score_applications(clients)
    accepted = next(s.client_id for s in scores if s.decision == "accepted")
    refused = next(s.client_id for s in scores if s.decision == "refused")
    return {"accepted": accepted, "refused": refused}
