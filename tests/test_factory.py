"""The factory and the one error story: explicit parts, no model at start, every error in shape."""

import sqlalchemy as sa

from app.services import model_store
from tests.helpers import assert_error

NO_MODEL = {"MODEL_URI": "/nonexistent/model"}


def test_every_part_is_registered_by_name(app):
    assert set(app.blueprints) == {"api", "auth", "pages", "monitoring"}
    assert {"clients", "api-keys", "users", "model", "drift", "db"} <= set(app.cli.commands)


def test_create_app_loads_no_model(make_app):
    """Only a server start (gunicorn's hooks) loads the model; flask commands stay light."""
    model_store.forget()
    make_app()  # create_app with the session's model settings
    assert model_store._loaded == {}


def test_gunicorn_hooks_preload_the_model_where_the_server_starts(app):
    import importlib.util
    from pathlib import Path
    from types import SimpleNamespace

    path = Path(__file__).resolve().parents[1] / "gunicorn.conf.py"
    spec = importlib.util.spec_from_file_location("gunicorn_conf", path)
    conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conf)
    model_store.forget()
    master = SimpleNamespace(
        cfg=SimpleNamespace(preload_app=True), app=SimpleNamespace(wsgi=lambda: app)
    )
    conf.when_ready(master)
    assert len(model_store._loaded) == 1
    model_store.forget()
    worker = SimpleNamespace(cfg=SimpleNamespace(preload_app=False), wsgi=app)
    conf.when_ready(SimpleNamespace(cfg=worker.cfg))  # not preloading: the master loads nothing
    assert model_store._loaded == {}
    conf.post_worker_init(worker)
    assert len(model_store._loaded) == 1


def _failing_app(make_app):
    from flask_login import login_user

    from app.extensions import db
    from app.models import User

    app = make_app(**NO_MODEL)

    @app.get("/boom")
    def boom():
        raise RuntimeError("a bug")

    @app.get("/api/boom")
    def api_boom():
        raise RuntimeError("a bug")

    @app.get("/sign-in-for-test")
    def sign_in_for_test():
        user = User(username="tester", password_hash="x")
        db.session.add(user)
        db.session.commit()
        login_user(user)
        return "ok"

    return app


def test_a_500_on_a_page_has_the_site_layout_and_the_request_id(make_app):
    client = _failing_app(make_app).test_client()
    client.get("/sign-in-for-test")
    response = client.get("/boom", headers={"X-Request-ID": "req-123"})
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert response.mimetype == "text/html"
    assert '<a class="skip-link" href="#main">' in page  # the site layout
    assert "<main" in page and "<nav" in page
    assert "quote request id req-123" in page
    assert "RuntimeError" not in page and "a bug" not in page  # no internals shown


def test_a_500_under_api_is_the_json_error_shape(make_app):
    client = _failing_app(make_app).test_client()
    error = assert_error(
        client.get("/api/boom", headers={"X-Request-ID": "r-9"}), 500, "internal_error"
    )
    assert error["details"] == {"request_id": "r-9"}
    assert "a bug" not in error["message"]


def test_drift_is_documented_like_every_other_api_route(client):
    spec = client.get("/api/openapi.json").get_json()
    documented = {path for path in spec["paths"]}
    served = {
        rule.rule.replace("<int:client_id>", "{client_id}")
        for rule in client.application.url_map.iter_rules()
        if rule.rule.startswith("/api/") and rule.rule not in ("/api/openapi.json", "/api/docs")
    }
    assert served <= documented
    drift = spec["paths"]["/api/drift"]["get"]
    assert set(drift["responses"]) == {"200", "401", "404", "503"}


def test_the_batch_job_scores_in_api_sized_transactions(runner, db):
    from app.models import Prediction

    runner.app.config["MAX_BATCH_SIZE"] = 7
    result = runner.invoke(args=["clients", "score", "--limit", "20"])
    assert result.exit_code == 0, result.output
    logged = db.session.execute(
        sa.select(Prediction.created_at, sa.func.count()).group_by(Prediction.created_at)
    ).all()
    assert sorted(count for _, count in logged) == [6, 7, 7]  # one transaction (one time) each
