"""The same service on a real PostgreSQL server: migrations, client store, prediction log."""

import flask_migrate
import pytest
import sqlalchemy as sa

from app.auth.api_keys import create_key
from app.extensions import db
from app.models import Client, Prediction
from app.services.clients import load_clients
from tests.helpers import GOOD_APPLICATION

REFUSE_424242_FUNCTION = """
CREATE OR REPLACE FUNCTION refuse_424242() RETURNS trigger AS $$
BEGIN
  IF NEW.client_id = 424242 THEN RAISE EXCEPTION 'disk full'; END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql
"""
REFUSE_424242_TRIGGER = (
    "CREATE TRIGGER refuse_424242 BEFORE INSERT ON predictions "
    "FOR EACH ROW EXECUTE FUNCTION refuse_424242()"
)

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


@pytest.fixture(scope="module")
def pg_app(postgres_url, monkeypatch_module, make_app, demo_data_dir):
    """The app on PostgreSQL (DATABASE_URL as Heroku gives it), migrated and loaded once."""
    monkeypatch_module.setenv(
        "DATABASE_URL", postgres_url.replace("postgresql://", "postgres://", 1)
    )
    from app.config import settings_from_environment

    # DATABASE_URL read as create_app reads it (postgres:// rewritten for psycopg 3).
    url = settings_from_environment()["SQLALCHEMY_DATABASE_URI"]
    app = make_app(SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        flask_migrate.upgrade()
        first = load_clients(demo_data_dir)
        second = load_clients(demo_data_dir)
    yield app, first, second
    with app.app_context():
        flask_migrate.downgrade(revision="base")
        db.engine.dispose()


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def test_uses_psycopg3_driver(pg_app):
    app, _, _ = pg_app
    with app.app_context():
        assert db.engine.dialect.name == "postgresql" and db.engine.dialect.driver == "psycopg"


def test_clients_load_upserts_idempotently(pg_app):
    app, first, second = pg_app
    for table in first:
        assert first[table].inserted > 0 and first[table].updated == 0
        assert second[table].inserted == 0 and second[table].updated == first[table].inserted
    with app.app_context():
        total = db.session.scalar(sa.select(sa.func.count()).select_from(Client))
    assert total == sum(report.inserted for report in first.values())


def test_predictions_are_logged_and_a_failed_batch_leaves_nothing(pg_app):
    app, _, _ = pg_app
    with app.app_context():
        key = create_key("pg-tests")
        client_id = db.session.scalars(sa.select(Client.sk_id_curr).limit(1)).one()
        before = db.session.scalar(sa.select(sa.func.count(Prediction.id)))
    client = app.test_client()
    headers = {"X-API-Key": key}
    batch = client.post(
        "/api/predict", json={"client_ids": [client_id, client_id]}, headers=headers
    )
    assert batch.status_code == 200
    ids = [p["prediction_id"] for p in batch.get_json()["predictions"]]
    with app.app_context():  # a real server-side failure on the second row of a batch
        db.session.execute(sa.text(REFUSE_424242_FUNCTION))
        db.session.execute(sa.text(REFUSE_424242_TRIGGER))
        db.session.commit()
    bad = client.post(
        "/api/predict",
        json={"applications": [GOOD_APPLICATION, dict(GOOD_APPLICATION, SK_ID_CURR=424242)]},
        headers=headers,
    )
    assert bad.status_code == 503
    assert bad.get_json()["error"]["code"] == "database_unavailable"
    with app.app_context():
        rows = db.session.scalars(sa.select(Prediction).where(Prediction.id > 0)).all()
        assert len(rows) == before + 2
        assert sorted(r.id for r in rows)[-2:] == sorted(ids)
        assert {r.source for r in rows[-2:]} == {"batch"}
