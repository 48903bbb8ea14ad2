"""What /api/health and /api/model report: model and database status, model description.

/api/health is public, so it says only "ok" or "degraded" per component. Why a component is
degraded (a driver error, a path, an exception text) is for the operators: it goes to the log.
"""

import logging

import sqlalchemy as sa

from app.extensions import db
from app.services import model_store

log = logging.getLogger(__name__)
OK, DEGRADED = "ok", "degraded"


def _database_status() -> str:
    try:
        db.session.execute(sa.select(1))
        return OK
    except Exception:  # any driver error means "down"
        db.session.rollback()
        log.warning("Health check: the database is unavailable", exc_info=True)
        return DEGRADED


def _model_status() -> str:
    try:
        model_store.get_model()
    except model_store.ModelUnavailableError as error:
        log.warning("Health check: no model: %s", error)
        return DEGRADED
    return OK


def status(also_down: tuple[str, ...] = ()) -> dict:
    """{"status", "model": {"status"}, "database": {"status"}}; when degraded, the error shape.

    `also_down` names parts found down elsewhere (the rate-limit store, by app/security.py).
    """
    parts = {"model": _model_status(), "database": _database_status()}
    down = [part for part, state in parts.items() if state != OK] + list(also_down)
    report = {"status": DEGRADED if down else OK}
    report.update({part: {"status": state} for part, state in parts.items()})
    if down:
        report["error"] = {
            "code": "service_unavailable",
            "message": f"Degraded: {', '.join(down)}. The server log says why.",
            "details": {"unavailable": down},
        }
    return report


def model_description(loaded: model_store.LoadedModel) -> dict:
    """The registered model as the API describes it."""
    model = loaded.model
    report = getattr(model, "report", {}) or {}
    return {
        "name": loaded.name,
        "version": loaded.version,
        "uri": loaded.uri,
        "threshold": float(model.threshold),
        "metrics": {k: v for k, v in (model.metrics or {}).items()},
        "features": list(model.feature_names),
        "input_columns": list(model.input_columns),
        "trained_at": report.get("trained_at"),
        "run_id": report.get("run_id"),
    }
