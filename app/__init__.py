"""The Flask monolith: create_app builds one app; gunicorn runs "app:create_app()"."""

import importlib
import importlib.util
import logging
import os
import sqlite3
import uuid
from collections.abc import Mapping

import sqlalchemy as sa
from flask import Flask, g, request

from app.config import config_from_environment, database_url
from app.extensions import csrf, db, login_manager, migrate
from app.security import init_security

log = logging.getLogger(__name__)


def create_app(config=None) -> Flask:
    """Build the app from a config class/object or a mapping of overrides (tests)."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder="../templates",
        static_folder="../static",
    )
    base = config if config is not None and not isinstance(config, Mapping) else None
    app.config.from_object(base or config_from_environment())
    if isinstance(config, Mapping):
        app.config.update(config)
    if app.config.get("ENV_NAME") == "production" and not app.config.get("SECRET_KEY"):
        raise RuntimeError("SECRET_KEY is not set: production refuses to start without it.")
    if app.config.get("ENV_NAME") == "production" and not (
        app.config.get("SQLALCHEMY_DATABASE_URI") or os.environ.get("DATABASE_URL")
    ):  # a SQLite file on a dyno's ephemeral disk would lose the prediction log
        raise RuntimeError("DATABASE_URL is not set: production refuses to start without it.")
    os.makedirs(app.instance_path, exist_ok=True)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = database_url(app.instance_path)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    register_request_id(app)
    init_security(app)  # headers + rate limits (app/security.py)
    if app.config.get("MODEL_PRELOAD"):
        from app.services import model_store

        model_store.preload(app)
    return app


@sa.event.listens_for(sa.engine.Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _connection_record):
    """WAL lets readers run during writes; a busy timeout makes writers queue, not fail."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


def register_extensions(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(
        app, db, directory=os.path.normpath(os.path.join(app.root_path, "..", "migrations"))
    )
    csrf.init_app(app)
    login_manager.init_app(app)


def register_blueprints(app: Flask) -> None:
    from app.api.routes import bp as api_bp

    csrf.exempt(api_bp)  # API clients authenticate with X-API-Key, not cookies
    app.register_blueprint(api_bp)
    for package in app.config["OPTIONAL_BLUEPRINTS"]:
        if importlib.util.find_spec(package) is None:
            continue
        module = importlib.import_module(package)
        if hasattr(module, "init_app"):
            module.init_app(app)
        elif hasattr(module, "bp"):
            app.register_blueprint(module.bp)


def register_errorhandlers(app: Flask) -> None:
    from app.api.errors import register_error_handlers

    register_error_handlers(app)


def register_commands(app: Flask) -> None:
    from app.cli import register_cli

    register_cli(app)


def register_request_id(app: Flask) -> None:
    """Every request gets an id (the caller's X-Request-ID if sane), logged with its predictions."""

    @app.before_request
    def assign_request_id():
        given = request.headers.get("X-Request-ID", "")
        g.request_id = given if 0 < len(given) <= 64 and given.isprintable() else uuid.uuid4().hex

    @app.after_request
    def echo_request_id(response):
        if "request_id" in g:
            response.headers["X-Request-ID"] = g.request_id
        return response
