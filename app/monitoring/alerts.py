"""The drift banner, shown on every signed-in page (the factory hands it to the page layout)."""

from flask import current_app, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from app.extensions import db
from app.monitoring import runs, wording


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
