"""One error story for the whole app: domain errors with a status, a code and a message.

Services raise `AppError` subclasses (invalid input, unknown client, no model, database down);
they know nothing of HTTP rendering. The handlers registered here answer them, and every
werkzeug HTTP error, in one JSON shape under /api:

    {"error": {"code": "unknown_field", "message": "...", "details": {...}}}

and hand everything else to the HTML renderer the factory passes in (app/pages/errors.py).
"""

import logging
import math
from collections.abc import Callable

from flask import Flask, g, jsonify, make_response, request
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException, InternalServerError

from app.extensions import db

log = logging.getLogger(__name__)

# Stable machine-readable codes for the HTTP errors werkzeug raises on its own.
HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "invalid_input",
    429: "too_many_requests",
    500: "internal_error",
    503: "service_unavailable",
}


class AppError(Exception):
    """An error answered with an HTTP status, a stable code, a message and details.

    `page_message` is what an advisor reads on an HTML page when it differs from the message
    a system gets (shorter, without configuration details).
    """

    status = 500
    code = "internal_error"

    def __init__(
        self, message: str, details: dict | None = None, *, status=None, code=None, headers=None
    ):
        super().__init__(message)
        self.message = message
        self.details = details or {}
        self.status = status or self.status
        self.code = code or self.code
        self.headers = dict(headers or {})  # e.g. Allow on a 405, Retry-After on a 429

    @property
    def page_message(self) -> str:
        return self.message

    def to_response(self):
        body = {"error": {"code": self.code, "message": self.message, "details": self.details}}
        return jsonify(body), self.status, self.headers


LONGEST_ECHO = 200  # characters of a rejected value quoted back in an error


def echoed(value):
    """A rejected value as an error may quote it: short, JSON-safe, never the whole payload.

    Hostile input must not make the error itself fail or balloon: infinities are not JSON, an
    integer of 4,000 digits or an array nested 900 deep is not worth sending back.
    """
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        if value.bit_length() <= 64:
            return value
        return f"an integer of about {int(value.bit_length() * math.log10(2)) + 1} digits"
    if isinstance(value, float):
        return value if math.isfinite(value) else repr(value)
    if isinstance(value, str):
        return value if len(value) <= LONGEST_ECHO else value[:LONGEST_ECHO] + "..."
    if isinstance(value, list):
        return f"an array of {len(value)} items"
    if isinstance(value, dict):
        return f"an object of {len(value)} fields"
    return type(value).__name__


class InvalidInputError(AppError):
    """A value that breaks an application rule: names the field and the rule (422)."""

    status = 422
    code = "invalid_value"

    def __init__(self, field: str, rule: str, value=None, *, code=None, message=None,
                 form_text=None, **details):  # fmt: skip
        message = message or f"Field {echoed(field)!r} {rule}."
        super().__init__(
            message,
            {"field": echoed(field), "rule": rule, "value": echoed(value), **details},
            code=code,
        )
        self.field = field
        self.rule = rule
        # The rule as a form shows it beside the field: "Must be between 0 and 1."
        self.form_text = form_text or f"{rule[0].upper()}{rule[1:]}."


class ServiceUnavailableError(AppError):
    """A part the request needs is down (the model, the database): 503, nothing recorded."""

    status = 503
    code = "service_unavailable"


class DatabaseUnavailableError(ServiceUnavailableError):
    code = "database_unavailable"

    @property
    def page_message(self) -> str:
        return "Scoring is unavailable right now: the prediction log cannot be written."


class RateLimitUnavailableError(ServiceUnavailableError):
    """The shared rate-limit store (Redis) cannot be reached: nothing is served unmetered."""

    code = "rate_limit_unavailable"

    def __init__(self):
        super().__init__(
            "Rate limits cannot be checked (their store is unreachable); nothing was done. "
            "Try again in a minute.",
            headers={"Retry-After": "60"},
        )


# Pages for people under /api: the documentation and the API console answer errors as pages.
HTML_UNDER_API = ("/api/docs", "/api/console")


def wants_json() -> bool:
    """JSON for the API and its clients; HTML pages everywhere else."""
    if request.path.rstrip("/") in HTML_UNDER_API:
        return False
    return request.path == "/api" or request.path.startswith("/api/")


def http_error(error: HTTPException) -> AppError:
    """A werkzeug HTTP error (404, 405, 413 ...) in the app's error shape, with its headers."""
    status = error.code or 500
    headers = {name: value for name, value in error.get_headers() if name != "Content-Type"}
    return AppError(
        error.description or error.name,
        status=status,
        code=HTTP_CODES.get(status),
        headers=headers,
    )


def register_error_handlers(app: Flask, render_page: Callable) -> None:
    """JSON under /api, `render_page(error)` elsewhere; a 500 rolls back and logs its request id."""

    def answer(error: AppError, page_error):
        return error.to_response() if wants_json() else render_page(page_error)

    @app.errorhandler(AppError)
    def handle_app_error(error: AppError):
        if error.status >= 500 and not isinstance(error, ServiceUnavailableError):
            log.error("%s (request id %s)", error.message, g.get("request_id", "-"))
        return answer(error, error)

    @app.errorhandler(HTTPException)
    def handle_http_error(error: HTTPException):
        converted = http_error(error)
        response = make_response(answer(converted, error))
        for name, value in converted.headers.items():  # the HTML page keeps Allow too
            response.headers.setdefault(name, value)
        return response

    @app.errorhandler(SQLAlchemyError)
    def handle_database_error(error: SQLAlchemyError):
        db.session.rollback()
        log.warning("Database error: %s", error)
        message = f"The database is unavailable; nothing was recorded. ({type(error).__name__})"
        unavailable = DatabaseUnavailableError(message)
        return answer(unavailable, unavailable)

    @app.errorhandler(Exception)
    def handle_unexpected(error: Exception):
        db.session.rollback()
        request_id = g.get("request_id", "-")
        log.exception("Unhandled error (request id %s)", request_id)
        message = f"Internal error; quote request id {request_id} when reporting it."
        internal = AppError(message, {"request_id": request_id})
        return answer(internal, InternalServerError(message))
