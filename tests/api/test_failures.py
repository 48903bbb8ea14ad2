"""When the model or the database is missing: 503 that says why, and nothing half-written."""

import pytest
import sqlalchemy as sa

from app.models import Prediction
from tests.helpers import GOOD_APPLICATION, assert_error


@pytest.fixture
def failing_log(db):
    """A real SQLite trigger that aborts any prediction row for client 424242 (a failed write)."""
    db.session.execute(
        sa.text(
            "CREATE TRIGGER refuse_424242 BEFORE INSERT ON predictions "
            "WHEN NEW.client_id = 424242 BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END"
        )
    )
    db.session.commit()
    return 424242


def test_no_model_app_starts_and_health_says_why(app_without_model, caplog):
    client = app_without_model.test_client()
    response = client.get("/api/health")
    assert response.status_code == 503
    body = response.get_json()
    assert body["model"] == {"status": "degraded"}  # the public answer says only that ...
    assert body["database"] == {"status": "ok"}
    reasons = " ".join(record.getMessage() for record in caplog.records)  # ... the log says why
    assert "No model could be loaded" in reasons
    assert "python -m training.train" in reasons
    assert body["error"]["code"] == "service_unavailable"
    assert_error(client.get("/api/model"), 503, "model_unavailable")


def test_no_model_predict_is_503_and_logs_nothing(app_without_model):
    from app.auth.api_keys import create_key
    from app.extensions import db

    with app_without_model.app_context():
        key = create_key("tests")
        client = app_without_model.test_client()
        response = client.post(
            "/api/predict", json={"application": GOOD_APPLICATION}, headers={"X-API-Key": key}
        )
        assert_error(response, 503, "model_unavailable")
        assert db.session.scalar(sa.select(sa.func.count(Prediction.id))) == 0


def test_database_down_is_503_on_health_and_predict(tmp_path, make_app):
    unreachable = tmp_path / "no-such-dir" / "app.db"
    app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{unreachable}")
    client = app.test_client()
    health = client.get("/api/health")
    assert health.status_code == 503
    assert health.get_json()["database"]["status"] == "degraded"
    response = client.post("/api/predict", json={"client_id": 1}, headers={"X-API-Key": "k"})
    assert_error(response, 503, "database_unavailable")


def test_failed_log_write_leaves_no_row_of_the_batch(client, api_key, db, failing_log):
    batch = [dict(GOOD_APPLICATION, SK_ID_CURR=1), dict(GOOD_APPLICATION, SK_ID_CURR=failing_log)]
    response = client.post(
        "/api/predict", json={"applications": batch}, headers={"X-API-Key": api_key}
    )
    error = assert_error(response, 503, "database_unavailable")
    assert "nothing was recorded" in error["message"]
    assert db.session.scalar(sa.select(sa.func.count(Prediction.id))) == 0
    ok = client.post(
        "/api/predict", json={"applications": batch[:1]}, headers={"X-API-Key": api_key}
    )
    assert ok.status_code == 200
    assert db.session.scalar(sa.select(sa.func.count(Prediction.id))) == 1


def test_a_model_built_for_other_features_is_refused_at_load(app, make_app, tmp_path, caplog):
    """A registered model trained by an older feature set (fewer columns than this code builds)
    is not served: health says degraded, predict is a 503 naming the cause, no 500 per request."""
    import copy

    import mlflow

    from app.services import model_store

    with app.app_context():
        current = model_store.get_model().model
    older = copy.deepcopy(current)
    older.scorer.feature_names = older.scorer.feature_names[:-3]  # trained before 3 features
    mlflow.pyfunc.save_model(str(tmp_path / "older-model"), python_model=older)
    model_store.forget()
    stale = make_app(MODEL_URI=str(tmp_path / "older-model"))
    client = stale.test_client()
    health = client.get("/api/health")
    assert health.status_code == 503 and health.get_json()["model"] == {"status": "degraded"}
    logged = " ".join(record.getMessage() for record in caplog.records)
    assert "does not score with this version of the code" in logged
    assert "retrain" in logged
    with stale.app_context():
        from app.auth.api_keys import create_key

        key = create_key("stale-model")
    response = client.post(
        "/api/predict", json={"application": GOOD_APPLICATION}, headers={"X-API-Key": key}
    )
    assert_error(response, 503, "model_unavailable")
    model_store.forget()
