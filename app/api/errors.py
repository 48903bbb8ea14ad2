"""One error type and one error shape for the API; HTML stays HTML outside /api."""

import logging

from flask import Flask, g, jsonify, render_template_string, request
from werkzeug.exceptions import HTTPException

from app.extensions import db

log = logging.getLogger(__name__)

# Stable machine-readable codes for the HTTP errors werkzeug raises on its own.
HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "invalid_input",
    429: "too_many_requests",
    500: "internal_error",
    503: "service_unavailable",
}

HTML_ERROR = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{{ status }} {{ name }} - Prêt à dépenser</title></head>
<body><main><h1>{{ status }} {{ name }}</h1><p>{{ message }}</p></main></body></html>"""


class APIError(Exception):
    """An error answered as {"error": {"code", "message", "details"}} with an HTTP status."""

    def __init__(self, status: int, code: str, message: str, details: dict | None = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details or {}

    def to_response(self):
        body = {"error": {"code": self.code, "message": self.message, "details": self.details}}
        return jsonify(body), self.status


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/api"


def _from_http_exception(error: HTTPException) -> APIError:
    status = error.code or 500
    return APIError(status, HTTP_CODES.get(status, "http_error"), error.description or error.name)


def register_error_handlers(app: Flask) -> None:
    """App-level handlers: JSON under /api, a small HTML page elsewhere."""

    @app.errorhandler(APIError)
    def handle_api_error(error: APIError):
        return error.to_response()

    @app.errorhandler(HTTPException)
    def handle_http_exception(error: HTTPException):
        if _wants_json():
            return _from_http_exception(error).to_response()
        page = render_template_string(
            HTML_ERROR, status=error.code, name=error.name, message=error.description
        )
        return page, error.code

    @app.errorhandler(Exception)
    def handle_unexpected(error: Exception):
        db.session.rollback()
        request_id = g.get("request_id", "-")
        log.exception("Unhandled error (request id %s)", request_id)
        message = f"Internal error; quote request id {request_id} when reporting it."
        if _wants_json():
            return APIError(
                500, "internal_error", message, {"request_id": request_id}
            ).to_response()
        return render_template_string(
            HTML_ERROR, status=500, name="Internal Server Error", message=message
        ), 500
