"""Data-drift monitoring: Evidently runs (CLI), their history page, the alert banner, /api/drift."""

import os

from flask import Flask


def init_app(app: Flask) -> None:
    """DRIFT_* defaults (the environment overrides them), pages, command and alert."""
    from app.monitoring.alerts import register_alerts
    from app.monitoring.cli import drift_cli
    from app.monitoring.routes import bp
    from app.monitoring.runs import DEFAULTS

    for name, default in DEFAULTS.items():
        raw = os.environ.get(name)
        app.config.setdefault(name, type(default)(raw) if raw is not None else default)
    app.register_blueprint(bp)
    app.cli.add_command(drift_cli)
    register_alerts(app)
