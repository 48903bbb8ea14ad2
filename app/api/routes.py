"""Thin JSON views: parse and validate, call a service, return."""

from flask import Blueprint, current_app, g, render_template, request

from app.api import CONSOLE_CALL
from app.api.bodies import json_body
from app.api.openapi import field_rows, openapi_document
from app.auth import charge_batch, require_api_key
from app.errors import AppError, InvalidInputError, echoed
from app.services import health, model_store, prediction_log
from app.services.clients import require_client, require_clients, stored_client_ids
from app.services.scoring import Application, score_and_log
from app.services.validation import CLIENT_ID_RULE, as_client_id, validate_application

bp = Blueprint("api", __name__, url_prefix="/api")

BODY_KEYS = ("client_id", "application", "client_ids", "applications")


def _body_form(body: dict) -> str:
    """Which of the four accepted forms the body uses."""
    unknown = sorted(set(body) - set(BODY_KEYS))
    if unknown:
        field = echoed(unknown[0])
        message = f"Unknown field {field!r}; send exactly one of {list(BODY_KEYS)}."
        raise AppError(message, {"field": field}, status=422, code="unknown_field")
    if len(body) != 1:
        message = f"Send exactly one of {list(BODY_KEYS)}."
        raise AppError(message, {"fields": sorted(body)}, status=422, code="invalid_body")
    return next(iter(body))


def _client_id(value, where: str) -> int:
    client_id = as_client_id(value)
    if client_id is None:
        message = f"Field {where!r} {CLIENT_ID_RULE} (an SK_ID_CURR)."
        raise InvalidInputError(where, CLIENT_ID_RULE, value, message=message)
    return client_id


def _batch(value, where: str) -> list:
    if not isinstance(value, list) or not value:
        message = f"Field {where!r} must be a non-empty list."
        raise InvalidInputError(
            where, "non-empty list", value, code="invalid_type", message=message
        )
    limit = current_app.config["MAX_BATCH_SIZE"]
    if len(value) > limit:
        message = f"Field {where!r} has {len(value)} items; at most {limit} per call."
        details = {"field": where, "limit": limit}
        raise AppError(message, details, status=413, code="batch_too_large")
    return value


def _stored(client_ids: list[int]) -> list[Application]:
    return [Application.of(client) for client in require_clients(client_ids)]


def _posted(application, where: str) -> Application:
    fields, client_id, warnings = validate_application(application, where)
    return Application(fields, client_id=client_id, warnings=warnings)


def _warn_history_not_used(applications: list[Application]) -> list[Application]:
    """Raw fields for a client of the store are scored as sent: say that its history is unused."""
    stored = stored_client_ids([a.client_id for a in applications if a.client_id is not None])
    for application in applications:
        if application.client_id in stored:
            application.warnings.append(
                f"SK_ID_CURR {application.client_id} is a client of the store, but raw fields "
                "are scored without its credit history; send "
                f'{{"client_id": {application.client_id}}} to use it.'
            )
    return applications


def applications_from(body: dict) -> tuple[list[Application], bool]:
    """The applications a /api/predict body asks for, and whether it is a batch."""
    form = _body_form(body)
    value = body[form]
    if form == "client_id":
        return _stored([_client_id(value, form)]), False
    if form == "application":
        return _warn_history_not_used([_posted(value, form)]), False
    items = _batch(value, form)
    if form == "client_ids":
        return _stored([_client_id(v, f"{form}[{i}]") for i, v in enumerate(items)]), True
    posted = [_posted(v, f"{form}[{i}]") for i, v in enumerate(items)]
    return _warn_history_not_used(posted), True


def _source(is_batch: bool) -> str:
    """How the prediction log files this call: the API console's own calls apart."""
    if request.environ.get(CONSOLE_CALL):
        return "console"
    return "batch" if is_batch else "api"


@bp.post("/predict")
@require_api_key
def predict():
    """Score one or many applications; every score is logged before this answers."""
    applications, is_batch = applications_from(json_body())
    charge_batch(len(applications))  # a batch counts as many calls as it has applications
    source = _source(is_batch)
    scores = score_and_log(applications, source, g.api_client, g.request_id)
    if is_batch:
        return {"predictions": [score.to_dict() for score in scores]}, 200
    return scores[0].to_dict(), 200


@bp.get("/clients/<int:client_id>")
@require_api_key
def client(client_id: int):
    """A stored client's application data, history aggregates and latest logged score."""
    found = require_client(client_id)  # 404 too for ids beyond what the store can hold
    latest = prediction_log.latest_for_client(client_id)
    return {
        "client_id": client_id,
        "is_training": found.is_training,
        "application": found.application,
        "history": found.history,
        "latest_score": prediction_log.prediction_summary(latest) if latest else None,
    }, 200


@bp.get("/model")
def model():
    """The champion's name, version, threshold, metrics, features and training date."""
    return health.model_description(model_store.get_model()), 200


@bp.get("/health")
def health_check():
    """Model and database status: 200 when both work, 503 saying why otherwise."""
    report = health.status()
    return report, 200 if report["status"] == "ok" else 503


@bp.get("/openapi.json")
def openapi():
    return openapi_document(), 200


@bp.get("/docs")
def docs():
    """Human-readable API documentation rendered from the OpenAPI document."""
    return render_template("api/docs.html", spec=openapi_document(), fields=field_rows())
