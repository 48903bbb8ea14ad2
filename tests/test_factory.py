"""The factory (app/__init__.py): explicit parts, and the model loads where a server starts."""

from app.services import model_store


def test_every_part_is_registered_by_name(app):
    assert set(app.blueprints) == {
        "api", "oversight_api", "api_console", "auth", "pages", "monitoring", "performance",
    }  # fmt: skip
    commands = {"clients", "api-keys", "users", "model", "drift", "outcomes", "performance", "db"}
    assert commands <= set(app.cli.commands)


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
