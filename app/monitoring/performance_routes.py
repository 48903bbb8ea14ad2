"""The performance page for signed-in advisors, the Evidently report of each run, and the latest
run for API clients (GET /api/performance, documented in app/api/openapi_oversight.py)."""

from flask import Blueprint, current_app, render_template
from flask_login import login_required

from app.auth import require_api_key
from app.models import PerformanceRun
from app.monitoring import performance_runs, performance_wording
from app.monitoring.performance_charts import performance_charts
from app.monitoring.reports import report_page, require_latest_run
from app.services import outcomes

bp = Blueprint("performance", __name__)


@bp.get("/monitoring/performance")
@login_required
def index():
    history = performance_runs.recent_runs()
    latest = history[0] if history else None
    margin = float(current_app.config["PERFORMANCE_ALERT_MARGIN"])
    return render_template(
        "monitoring/performance.html",
        run=latest,
        history=history,
        margin=margin,
        alert=performance_runs.below_test_auc(latest, margin),
        headline=performance_wording.headline(latest, margin) if latest else None,
        overrides_sentence=performance_wording.overrides_sentence(latest) if latest else None,
        last_load=outcomes.latest_load(),
        window=performance_wording.window,
        **performance_charts(latest, margin),
    )


@bp.get("/monitoring/performance/runs/<int:run_id>/report")
@login_required
def report(run_id: int):
    """Evidently's classification report: self-contained HTML, served under a sandboxed CSP."""
    return report_page(PerformanceRun, "performance", run_id)


@bp.get("/api/performance")
@require_api_key
def api_latest():
    """The latest performance run, or a 404 error when none was made yet."""
    latest = require_latest_run(PerformanceRun, "performance", "no_performance_run")
    margin = float(current_app.config["PERFORMANCE_ALERT_MARGIN"])
    return performance_runs.run_summary(latest, margin), 200
