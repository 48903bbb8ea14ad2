"""Monitoring fixtures: synthetic files with the generator's documented drift, the real sample."""

import pytest

from tests.real_sample import REAL_SAMPLE

SYNTHETIC_CLIENTS = 15_000  # ~2,400 application_test rows: enough to keep sampling noise low
SYNTHETIC_SEED = 11


@pytest.fixture(scope="session")
def drift_data_dir(tmp_path_factory):
    """The 8 synthetic CSV files; application_test is shifted in SHIFTED_COLUMNS only."""
    from training.synthetic import generate

    out = tmp_path_factory.mktemp("drift-data")
    generate(out, SYNTHETIC_CLIENTS, SYNTHETIC_SEED)
    return out


@pytest.fixture(scope="session")
def synthetic_applications(drift_data_dir):
    """(application_train, application_test) as the loader reads them."""
    from training.dataset import load_applications

    return (
        load_applications(drift_data_dir / "application_train.csv"),
        load_applications(drift_data_dir / "application_test.csv"),
    )


@pytest.fixture(scope="session")
def real_sample():
    """(application_train, application_test) of the real sample; skipped only if it is absent."""
    if not REAL_SAMPLE.is_dir():
        pytest.skip(f"real sample not found at {REAL_SAMPLE}")
    from training.dataset import load_applications

    return (
        load_applications(REAL_SAMPLE / "application_train.csv"),
        load_applications(REAL_SAMPLE / "application_test.csv"),
    )


@pytest.fixture
def monitoring_app(trained_model, tmp_path):
    """The app on a migrated SQLite database (Flask-Migrate, as release does), with the model."""
    from flask_migrate import upgrade

    from app import create_app
    from app.config import TestConfig

    settings = {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'app.db'}",
        "MODEL_URI": trained_model.model_uri,
        "MLFLOW_TRACKING_URI": trained_model.tracking_uri,
        "RATELIMIT_ENABLED": False,
    }
    app = create_app(type("MonitoringTestConfig", (TestConfig,), settings))
    with app.app_context():
        upgrade()
    return app


@pytest.fixture
def monitoring_db(monitoring_app):
    from app.extensions import db

    with monitoring_app.app_context():
        yield db
        db.session.remove()


@pytest.fixture
def advisor_client(monitoring_app):
    """A test client signed in as an advisor through the real sign-in form.

    No app context is held open around requests: Flask would reuse it, and Flask-Login's
    cached user in `g` would leak into later anonymous requests.
    """
    from app.auth.accounts import create_advisor

    with monitoring_app.app_context():
        create_advisor("drift-advisor", "a-long-password-1")
    client = monitoring_app.test_client()
    response = client.post(
        "/auth/sign-in", data={"username": "drift-advisor", "password": "a-long-password-1"}
    )
    assert response.status_code == 302
    return client


@pytest.fixture
def drift_api_key(monitoring_app):
    from app.auth.api_keys import create_key

    with monitoring_app.app_context():
        return create_key("drift-tests")
