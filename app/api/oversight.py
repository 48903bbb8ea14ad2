"""Human oversight over the API: POST /api/decisions (a thin JSON view).

Its own blueprint under /api (CSRF-exempt like the scoring API: callers send X-API-Key), so the
scoring endpoints in routes.py and these evolve apart. Documented by openapi_oversight.py, with
GET /api/performance, which monitoring serves beside its page (as it does GET /api/drift).
"""

from flask import Blueprint, g

from app.api.bodies import json_body
from app.auth import require_api_key
from app.errors import AppError, InvalidInputError
from app.services import decisions
from app.services.validation import is_client_id

bp = Blueprint("oversight_api", __name__, url_prefix="/api")

DECISION_FIELDS = ("prediction_id", "final_decision", "reason", "comment")


def _decision_body(body: dict) -> dict:
    """The four fields, with an unknown or missing one named (422)."""
    unknown = sorted(set(body) - set(DECISION_FIELDS))
    if unknown:
        message = f"Unknown field {unknown[0]!r}; a decision has {list(DECISION_FIELDS)}."
        raise AppError(message, {"field": unknown[0]}, status=422, code="unknown_field")
    for name in ("prediction_id", "final_decision"):
        if name not in body:
            raise InvalidInputError(name, "is required", None, code="missing_field")
    if not is_client_id(body["prediction_id"]):  # the same positive 32-bit integer as an id
        raise InvalidInputError(
            "prediction_id",
            "must be a positive integer",
            body["prediction_id"],
            code="invalid_type",
        )
    return {name: body.get(name) for name in DECISION_FIELDS}


@bp.post("/decisions")
@require_api_key
def record_decision():
    """Record the final decision on a logged scoring; the API key's name is the actor."""
    fields = _decision_body(json_body())
    decision = decisions.record_decision(**fields, advisor=g.api_client)
    prediction = decisions.require_prediction(decision.prediction_id)
    return decisions.decision_summary(decision, prediction), 201
