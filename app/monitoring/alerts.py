"""The drift and performance banners, shown on every signed-in page (the factory hands them to
the page layout)."""

from flask import current_app, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from app.extensions import db
from app.monitoring import performance_runs, performance_wording, runs, wording


def drift_alerts() -> list[dict]:
    """Zero or one banner, from the latest stored run (one indexed query, no report loaded)."""
    if not current_user.is_authenticated:
        return []
    try:
        latest = runs.latest_run()
    except SQLAlchemyError:  # a page must still render when the table is not migrated yet
        db.session.rollback()
        return []
    config = current_app.config
    message = wording.alert_for(
        latest, float(config["DRIFT_ALERT_SHARE"]), int(config["DRIFT_ALERT_TOP_FEATURES"])
    )
    if message is None:
        return []
    return [
        {
            "level": "warning",
            "message": message,
            "url": url_for("monitoring.index"),
            "link_text": _("See the monitoring page"),
        }
    ]


def performance_alerts() -> list[dict]:
    """Zero or one banner: the latest performance run's AUC fell below the model's test AUC."""
    if not current_user.is_authenticated:
        return []
    try:
        latest = performance_runs.latest_run()
    except SQLAlchemyError:  # not migrated yet: the page still renders
        db.session.rollback()
        return []
    margin = float(current_app.config["PERFORMANCE_ALERT_MARGIN"])
    if not performance_runs.below_test_auc(latest, margin):
        return []
    return [
        {
            "level": "warning",
            "message": performance_wording.alert(latest, margin),
            "url": url_for("performance.index"),
            "link_text": _("See the performance page"),
        }
    ]
