"""Monitoring pages for signed-in advisors and GET /api/drift for systems; thin views."""

from flask import Blueprint, abort, current_app, render_template
from flask_babel import gettext as _
from flask_login import login_required

from app.auth import require_api_key
from app.errors import AppError
from app.monitoring import charts, runs, wording
from app.monitoring.reports import report_response
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
    compressed = runs.report_html(run_id)
    if compressed is None:
        abort(404, description=f"No drift run {run_id}.")
    return report_response(compressed)


@bp.get("/api/drift")
@require_api_key
def api_latest():
    """The latest drift run's summary, or a 404 error when none was made yet."""
    latest = runs.latest_run()
    if latest is None:
        message = "No drift run yet; make one with `flask drift run`."
        raise AppError(message, status=404, code="no_drift_run")
    return runs.run_summary(latest), 200
