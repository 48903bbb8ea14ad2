"""The Flask monolith: create_app builds one app; gunicorn runs "app:create_app()".

A request enters in app/api/routes.py (JSON) or app/pages/routes.py (HTML), the model is scored
in app/services/scoring.py, and a prediction is logged in app/services/prediction_log.py.
"""

import os
import sqlite3

import sqlalchemy as sa
from flask import Flask, g, request
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from app.config import load_config
from app.extensions import babel, csrf, db, login_manager, migrate
from app.i18n import N_, init_i18n, select_language
from app.services.formatting import amount, day, number, percent, significant, when


def create_app(config=None) -> Flask:
    """Build the app from a config class, or a mapping of overrides on APP_ENV's class (tests)."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder="../templates",
        static_folder="../static",
    )
    load_config(app, config)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    register_request_id(app)
    register_security(app)
    register_compression(app)
    for number_filter in (
        percent,
        amount,
        number,
        significant,
        when,
        day,
    ):  # numbers in the page's language
        app.add_template_filter(number_filter)
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
        app, db, directory=os.path.normpath(os.path.join(app.root_path, "../migrations"))
    )
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = N_("Please sign in to see this page.")
    login_manager.localize_callback = gettext  # the message above, in the page's language
    login_manager.login_message_category = "info"
    babel.init_app(app, locale_selector=select_language)
    init_i18n(app)


def register_blueprints(app: Flask) -> None:
    from app.api.oversight import bp as oversight_api_bp
    from app.api.routes import bp as api_bp
    from app.auth.routes import bp as auth_bp
    from app.console.routes import bp as console_bp
    from app.monitoring.alerts import drift_alerts, performance_alerts
    from app.monitoring.performance_routes import bp as performance_bp
    from app.monitoring.routes import bp as monitoring_bp
    from app.pages.layout import init_layout
    from app.pages.routes import bp as pages_bp

    for api in (api_bp, oversight_api_bp):
        csrf.exempt(api)  # API clients authenticate with X-API-Key, not cookies
        app.register_blueprint(api)
    app.register_blueprint(console_bp)  # a page for people: it keeps CSRF on its forms
    app.register_blueprint(auth_bp)
    app.register_blueprint(pages_bp)
    app.register_blueprint(monitoring_bp)
    app.register_blueprint(performance_bp)
    init_layout(
        app,
        nav_items=[
            (_l("Monitoring"), "monitoring.index"),
            (_l("Performance"), "performance.index"),
            (_l("API console"), "api_console.index"),
        ],
        alert_providers=[drift_alerts, performance_alerts],
    )


def register_errorhandlers(app: Flask) -> None:
    from app.errors import register_error_handlers
    from app.pages.errors import render_error

    register_error_handlers(app, render_page=render_error)


def register_commands(app: Flask) -> None:
    from app.auth.commands import users_cli
    from app.cli import api_keys_cli, clients_cli
    from app.cli_model import model_cli
    from app.cli_outcomes import outcomes_cli
    from app.monitoring.cli import drift_cli
    from app.monitoring.performance_cli import performance_cli

    groups = (clients_cli, api_keys_cli, users_cli, model_cli, drift_cli)
    for group in (*groups, outcomes_cli, performance_cli):
        app.cli.add_command(group)


def register_request_id(app: Flask) -> None:
    """Every request gets an id (the caller's X-Request-ID if a safe token), logged with its
    predictions."""
    from app.security import request_id_from

    @app.before_request
    def assign_request_id():
        g.request_id = request_id_from(request.headers.get("X-Request-ID"))

    @app.after_request
    def echo_request_id(response):
        if "request_id" in g:
            response.headers["X-Request-ID"] = g.request_id
        return response


def register_compression(app: Flask) -> None:
    """gzip for pages and stylesheets (app/compression.py); the API is left as it is."""
    from app.compression import init_compression

    init_compression(app)


def register_security(app: Flask) -> None:
    """Headers and rate limits (app/security.py); after the blueprints, whose views it limits."""
    from app.security import init_security

    init_security(app)
