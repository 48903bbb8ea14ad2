"""Request bodies of the JSON API, parsed strictly: one reader for every /api endpoint."""

import json

from flask import request

from app.errors import AppError, echoed


class _DuplicateKeyError(ValueError):
    """A JSON object names the same key twice: which value was meant is ambiguous."""


def _reject_constant(name):
    raise ValueError(f"{name} is not valid JSON")


def _unique_keys(pairs: list[tuple]) -> dict:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKeyError(key)
            seen.add(key)
    return obj


def _parse_json(raw: bytes):
    """Strict JSON: no NaN/Infinity, no duplicate keys; every failure is a 400 saying why."""
    try:
        return json.loads(raw, parse_constant=_reject_constant, object_pairs_hook=_unique_keys)
    except _DuplicateKeyError as error:
        message = f"The body names the key {echoed(error.args[0])!r} twice."
        raise AppError(
            message, {"key": echoed(error.args[0])}, status=400, code="duplicate_key"
        ) from None
    except RecursionError:
        message = "The body is nested too deeply to be a prediction request."
        raise AppError(message, status=400, code="too_deeply_nested") from None
    except ValueError as error:  # also UnicodeDecodeError, and integers over 4,300 digits
        message = f"The body is not valid JSON: {echoed(str(error))}"
        raise AppError(message, status=400, code="malformed_json") from None


def json_body() -> dict:
    """The request's JSON object: 415 if not JSON, 400 if malformed, 413 if too large."""
    if not request.is_json:
        raise AppError(
            "Send the body as application/json.", status=415, code="unsupported_media_type"
        )
    body = _parse_json(request.get_data(cache=True))
    if not isinstance(body, dict):
        message = "The body must be a JSON object."
        raise AppError(message, {"field": "body"}, status=422, code="invalid_type")
    return body
