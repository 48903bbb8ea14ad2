"""What a bank's security review asks for (issue 10, section 3), each item with a test that fails
without it. Rate limits and sessions have their own files (test_rate_limits.py, test_sessions.py).
"""

import os
import re
import stat
import threading

import pytest
import sqlalchemy as sa
from flask import Flask

from app import create_app
from app.config import (
    Config,
    ConfigError,
    DevelopmentConfig,
    ProductionConfig,
    TestConfig,
    load_config,
)
from app.extensions import db as database
from app.models import Client, NewClientId, Prediction
from app.services.prediction_log import LogUnavailableError
from tests.helpers import GOOD_APPLICATION


@pytest.fixture
def bare_app(make_app, tmp_path):
    """A real app on its own copy of the template database; no model."""
    return make_app(MODEL_URI=str(tmp_path / "no-model"))


# --- APP_ENV and SECRET_KEY ----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["staging", "", "Production", "prod", "test", "development "])
def test_app_env_refuses_to_start_on_anything_else(monkeypatch, name):
    monkeypatch.setenv("APP_ENV", name)
    with pytest.raises(
        ConfigError, match="APP_ENV must be one of development, testing, production"
    ):
        create_app()


def test_only_the_tests_have_a_built_in_secret_key():
    assert Config.SECRET_KEY is None
    assert DevelopmentConfig.SECRET_KEY is None
    assert ProductionConfig.SECRET_KEY is None
    assert TestConfig.SECRET_KEY == "test-secret"


def test_development_makes_a_random_secret_and_keeps_it_in_instance(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)

    def development_app(folder):
        app = Flask(__name__, instance_path=str(tmp_path / folder))
        load_config(app, DevelopmentConfig)
        return app

    first = development_app("one")
    kept = tmp_path / "one" / "secret_key"
    assert re.fullmatch(r"[0-9a-f]{64}", first.config["SECRET_KEY"])
    assert kept.read_text() == first.config["SECRET_KEY"]
    assert stat.S_IMODE(os.stat(kept).st_mode) == 0o600  # readable by its owner only
    assert development_app("one").config["SECRET_KEY"] == first.config["SECRET_KEY"]
    assert development_app("two").config["SECRET_KEY"] != first.config["SECRET_KEY"]


# --- HTTPS ---------------------------------------------------------------------------------------


@pytest.fixture
def production(make_app, tmp_path, monkeypatch):
    """ProductionConfig (APP_ENV=production) on its own copy of the template database."""
    monkeypatch.setenv("APP_ENV", "production")
    app = make_app(MODEL_URI=str(tmp_path / "no-model"), SECRET_KEY="a-production-secret")
    assert app.config["ENV_NAME"] == "production"
    return app


def test_production_redirects_plain_http_to_https(production):
    client = production.test_client()
    response = client.get("/auth/sign-in?next=/model", headers={"X-Forwarded-Proto": "http"})
    assert response.status_code == 301
    assert response.headers["Location"] == "https://localhost/auth/sign-in?next=/model"
    posted = client.post("/api/predict", json={"client_id": 1})  # no header: plain HTTP too
    assert posted.status_code == 308  # the method and body are kept
    assert posted.headers["Location"] == "https://localhost/api/predict"
    assert "Strict-Transport-Security" not in response.headers


def test_production_sends_hsts_with_subdomains_over_https(production):
    response = production.test_client().get("/auth/sign-in", headers={"X-Forwarded-Proto": "https"})
    assert response.status_code == 200
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_development_serves_plain_http(bare_app):
    response = bare_app.test_client().get("/auth/sign-in")
    assert response.status_code == 200
    assert "Strict-Transport-Security" not in response.headers


# --- Health, request ids, caching ----------------------------------------------------------------


def test_public_health_says_only_ok_or_degraded_and_logs_why(app_without_model, caplog):
    response = app_without_model.test_client().get("/api/health")
    assert response.status_code == 503
    assert response.get_json() == {
        "status": "degraded",
        "model": {"status": "degraded"},
        "database": {"status": "ok"},
        "error": {
            "code": "service_unavailable",
            "message": "Degraded: model. The server log says why.",
            "details": {"unavailable": ["model"]},
        },
    }
    model_uri = app_without_model.config["MODEL_URI"]
    assert model_uri not in response.get_data(as_text=True)
    assert any(model_uri in record.getMessage() for record in caplog.records)


def test_health_hides_the_database_error(make_app, tmp_path, caplog):
    unreachable = tmp_path / "no-such-dir" / "app.db"
    app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{unreachable}")
    response = app.test_client().get("/api/health")
    assert response.status_code == 503
    assert response.get_json()["database"] == {"status": "degraded"}
    text = response.get_data(as_text=True)
    assert "no-such-dir" not in text and "OperationalError" not in text
    assert any("database is unavailable" in record.getMessage() for record in caplog.records)


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("3f2b1c9e-7d4a-4c1b-9e2f-0a1b2c3d4e5f", True),  # Heroku's router: a UUID
        ("batch-2026-11-29.001", True),
        ("r-9", True),
        ("-leading-dash", False),
        ("a/b", False),
        ("<script>alert(1)</script>", False),
        ("id with spaces", False),
        ("x" * 65, False),
        ("tab\tseparated-token", False),
        ("", False),
    ],
)
def test_request_ids_are_made_here_unless_the_given_one_is_a_safe_token(bare_app, given, kept):
    client = bare_app.test_client()
    answered = client.get("/api/openapi.json", headers={"X-Request-ID": given}).headers
    if kept:
        assert answered["X-Request-ID"] == given
    else:
        assert re.fullmatch(r"[0-9a-f]{32}", answered["X-Request-ID"])


def test_client_pages_and_api_answers_are_never_cached(advisor, demo_ids):
    for path in (f"/clients/{demo_ids['accepted']}", "/", "/applications/new"):
        response = advisor.get(path)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "no-store"
    assert advisor.get("/api/openapi.json").headers["Cache-Control"] == "no-store"
    static = advisor.get("/static/css/app.css")
    assert "no-store" not in static.headers.get("Cache-Control", "")


# --- New clients: id from the database, client and score in one transaction ---------------------


def test_new_client_ids_come_from_the_database(app):
    from app.services.dashboard import NEW_CLIENT_ID_START, save_and_score

    with app.app_context():
        first = save_and_score(GOOD_APPLICATION, "advisor", "r1")[0].sk_id_curr
        second, score = save_and_score(GOOD_APPLICATION, "advisor", "r2")
        drawn = database.session.scalars(sa.select(NewClientId.id).order_by(NewClientId.id)).all()
        logged = database.session.get(Prediction, score.prediction_id)
        assert first == NEW_CLIENT_ID_START + drawn[0] - 1
        assert second.sk_id_curr == first + 1
        assert (logged.source, logged.client_id) == ("application", second.sk_id_curr)


def test_concurrent_saves_get_distinct_ids(app):
    from app.services.dashboard import save_new_client

    saved, errors = [], []

    def save():
        with app.app_context():
            try:
                saved.append(save_new_client(GOOD_APPLICATION).sk_id_curr)
            except Exception as error:  # any failure is the finding
                errors.append(repr(error))

    threads = [threading.Thread(target=save) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(set(saved)) == 8


def test_a_new_client_is_not_kept_when_its_score_cannot_be_logged(app):
    from app.services.dashboard import save_and_score

    with app.app_context():
        database.session.execute(
            sa.text(
                "CREATE TRIGGER refuse_new_applications BEFORE INSERT ON predictions "
                "WHEN NEW.source = 'application' BEGIN SELECT RAISE(ABORT, 'disk full'); END"
            )
        )
        database.session.commit()
        before = database.session.scalar(sa.select(sa.func.count()).select_from(Client))
        with pytest.raises(LogUnavailableError):
            save_and_score(GOOD_APPLICATION, "advisor", "r1")
        after = database.session.scalar(sa.select(sa.func.count()).select_from(Client))
        assert after == before


@pytest.mark.postgres
def test_two_saves_in_flight_on_postgresql_draw_different_ids(postgres_url, make_app):
    """The old max(SK_ID_CURR) + 1 gave both the same id; the second save then failed."""
    from flask_migrate import downgrade, upgrade

    from app.services.dashboard import new_client_id
    from tests.postgres_fixtures import fresh_database

    url = fresh_database(postgres_url, "client_id_tests")
    app = make_app(SQLALCHEMY_DATABASE_URI=url, MODEL_URI="none")
    with app.app_context():
        upgrade()
        first = new_client_id()  # not committed yet
        with app.app_context():  # a second request, with its own session and transaction
            second = new_client_id()
            database.session.commit()
        database.session.commit()
        database.session.remove()
        downgrade(revision="base")
        database.engine.dispose()
    assert first != second


# --- Model export --------------------------------------------------------------------------------


def test_model_export_refuses_to_delete_a_directory_that_is_not_an_export(runner, tmp_path):
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "thesis.tex").write_text("years of work")
    result = runner.invoke(args=["model", "export", str(precious), "--uri", "models:/x@y"])
    assert result.exit_code == 1
    assert "is not an earlier export: refusing to delete it" in result.output
    assert (precious / "thesis.tex").read_text() == "years of work"
    a_file = tmp_path / "model.txt"
    a_file.write_text("x")
    result = runner.invoke(args=["model", "export", str(a_file), "--uri", "models:/x@y"])
    assert result.exit_code != 0 and a_file.read_text() == "x"


def test_model_export_may_replace_an_earlier_export_or_an_empty_folder(tmp_path):
    from app.cli_model import check_replaceable
    from app.services.model_store import EXPORT_RECORD

    earlier = tmp_path / "earlier"
    earlier.mkdir()
    (earlier / EXPORT_RECORD).write_text("{}")
    (earlier / "python_model.pkl").write_text("")
    mlflow_model = tmp_path / "mlflow-model"
    mlflow_model.mkdir()
    (mlflow_model / "MLmodel").write_text("")
    empty = tmp_path / "empty"
    empty.mkdir()
    for directory in (earlier, mlflow_model, empty, tmp_path / "absent"):
        check_replaceable(directory)  # no error
