"""Sending a console call: the very request a client's HTTP call becomes, run by the app.

The call goes through the app's WSGI callable, so it meets exactly what a client's request
meets: the proxy fix, HTTPS rules, authentication by X-API-Key, validation, rate limits and the
prediction log (which files it under its own source, "console"). Nothing of the console page's
own request goes with it: no cookie, no CSRF token, no advisor session.

Why not a network call to the app's own address: a gunicorn worker whose threads are all busy
sending console calls would wait forever for a thread to answer them, and behind Heroku's router
the app knows no address of its own that it can reach.
"""

import io
import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from http import HTTPStatus

from flask import Flask

from app.api import CONSOLE_CALL

USER_AGENT = "pad-api-console"
# The headers an integrator needs to see; the rest are the same on every answer.
SHOWN_HEADERS = (
    "X-Request-ID",
    "X-RateLimit-Limit",
    "X-RateLimit-Remaining",
    "X-RateLimit-Reset",
    "Retry-After",
    "Allow",
)
# What a call keeps of the page's request: where it came from (so rate limits per address and
# the HTTPS rules see the same client), and how it reached the app. Never a cookie or a token.
KEPT_ENVIRON = (
    "SERVER_NAME",
    "SERVER_PORT",
    "SERVER_PROTOCOL",
    "SCRIPT_NAME",
    "REMOTE_ADDR",
    "REMOTE_PORT",
    "HTTP_HOST",
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
    "HTTP_X_FORWARDED_PREFIX",
    "wsgi.url_scheme",
    "wsgi.errors",
    "wsgi.version",
    "wsgi.multithread",
    "wsgi.multiprocess",
    "wsgi.run_once",
)


@dataclass(frozen=True)
class Answer:
    """What the API answered: status, the headers that matter, the body, the time taken."""

    status: int
    reason: str  # "OK", "Unprocessable Entity"
    headers: tuple[tuple[str, str], ...]
    body: str  # JSON, indented as a person reads it
    elapsed_ms: float

    @property
    def succeeded(self) -> bool:
        return 200 <= self.status < 300


def call_environ(origin: Mapping, method: str, path: str, body: bytes, api_key: str | None) -> dict:
    """The WSGI environ of a call, built from the page request's `origin` environ."""
    # ProxyFix rewrote the page's environ in place: start again from what the proxy sent.
    original = {**origin, **origin.get("werkzeug.proxy_fix.orig", {})}
    environ = {key: original[key] for key in KEPT_ENVIRON if original.get(key) is not None}
    environ.update(
        {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": "",
            "wsgi.input": io.BytesIO(body),
            "CONTENT_LENGTH": str(len(body)),
            "HTTP_ACCEPT": "application/json",
            "HTTP_USER_AGENT": USER_AGENT,
            CONSOLE_CALL: True,
        }
    )
    if method == "POST":
        environ["CONTENT_TYPE"] = "application/json"
    if api_key:
        environ["HTTP_X_API_KEY"] = api_key
    return environ


def _run(wsgi_app: Callable, environ: dict) -> tuple[str, list, bytes]:
    """Call a WSGI app; its status line, headers and whole body."""
    started: dict = {}

    def start_response(status, headers, exc_info=None):
        started.update(status=status, headers=headers)
        return lambda chunk: chunks.append(chunk)

    chunks: list[bytes] = []
    result = wsgi_app(environ, start_response)
    try:
        chunks.extend(result)
    finally:
        if hasattr(result, "close"):
            result.close()
    return started["status"], started["headers"], b"".join(chunks)


def _readable(content: bytes) -> str:
    text = content.decode("utf-8", errors="replace")
    try:
        return json.dumps(json.loads(text), indent=2, ensure_ascii=False)
    except ValueError:
        return text


def send(
    app: Flask, origin: Mapping, method: str, path: str, body: str, api_key: str | None
) -> Answer:
    """Send one call through `app` as a client would; the page's request gives `origin`."""
    environ = call_environ(origin, method, path, body.encode("utf-8"), api_key)
    started = time.perf_counter()
    # Its own application context: the call gets its own `g` and database session, and the
    # page's (its signed-in advisor, its request id) stay as they were.
    with app.app_context():
        status, headers, content = _run(app.wsgi_app, environ)
    elapsed_ms = (time.perf_counter() - started) * 1000
    code = int(status.split(" ", 1)[0])
    shown = tuple((name, value) for name, value in headers if name in SHOWN_HEADERS)
    return Answer(code, _reason(code), shown, _readable(content), round(elapsed_ms, 1))


def _reason(code: int) -> str:
    """The status's name as the HTTP specification writes it ("Unprocessable Entity")."""
    try:
        return HTTPStatus(code).phrase
    except ValueError:
        return ""
