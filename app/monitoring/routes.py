"""Monitoring pages for signed-in advisors and GET /api/drift for systems; thin views."""

from flask import Blueprint, current_app, render_template
from flask_babel import gettext as _
from flask_login import login_required

from app.auth import require_api_key
from app.models import DriftRun
from app.monitoring import charts, runs, wording
from app.monitoring.reports import report_page, require_latest_run
from app.services.formatting import when

bp = Blueprint("monitoring", __name__)


@bp.get("/monitoring")
@login_required
def index():
    history = runs.recent_runs()
    latest = history[-1] if history else None
    config = current_app.config
    return render_template(
        "monitoring/index.html",
        run=latest,
        headline=wording.headline(latest) if latest else None,
        prediction_sentence=wording.prediction_sentence(latest) if latest else None,
        column_label=wording.column_label,
        skipped_reason=wording.skipped_reason,
        compared=wording.compared(latest) if latest else None,
        **charts.history_charts(history, float(config["DRIFT_ALERT_SHARE"])),
        alert_share=config["DRIFT_ALERT_SHARE"],
        when=_("%(moment)s UTC", moment=when(latest.created_at)) if latest else None,
    )


@bp.get("/monitoring/runs/<int:run_id>/report")
@login_required
def report(run_id: int):
    """Evidently's own report: self-contained HTML (its scripts and fonts are inlined)."""
    return report_page(DriftRun, "drift", run_id)


@bp.get("/api/drift")
@require_api_key
def api_latest():
    """The latest drift run's summary, or a 404 error when none was made yet."""
    latest = require_latest_run(DriftRun, "drift", "no_drift_run")
    return runs.run_summary(latest), 200
