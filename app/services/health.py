"""What /api/health and /api/model report: model and database status, model description."""

import sqlalchemy as sa

from app.extensions import db
from app.services import model_store


def _database_status() -> dict:
    try:
        db.session.execute(sa.select(1))
        return {"status": "ok"}
    except Exception as error:  # any driver error means "down"
        db.session.rollback()
        return {"status": "unavailable", "reason": f"{type(error).__name__}: {error}"[:300]}


def _model_status() -> dict:
    try:
        loaded = model_store.get_model()
    except model_store.ModelUnavailableError as error:
        return {"status": "unavailable", "reason": str(error)}
    return {"status": "ok", "name": loaded.name, "version": loaded.version, "uri": loaded.uri}


def status() -> dict:
    """{"status", "model", "database"}; when not ok, also the API's {"error": ...} shape."""
    report = {"model": _model_status(), "database": _database_status()}
    down = [part for part in ("model", "database") if report[part]["status"] != "ok"]
    report = {"status": "unavailable" if down else "ok", **report}
    if down:
        reasons = " ".join(report[part]["reason"] for part in down)
        report["error"] = {
            "code": "service_unavailable",
            "message": reasons,
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
