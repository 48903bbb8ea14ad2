"""HTTPS, security headers, request ids and rate limits, attached by `init_security(app)`.

The settings (RATELIMIT_*, PROXY_FIX_X_FOR, FORCE_HTTPS, CONTENT_SECURITY_POLICY,
CSP_SANDBOXED_ENDPOINTS) are read from the app config, which app/config.py fills. Routes that
need an API key are limited per key (app/auth/rate_limits.py); the others per client address.
"""

import logging
import re
import uuid

from flask import Flask, Response, current_app, g, redirect, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits.errors import StorageError
from redis.exceptions import RedisError
from werkzeug.middleware.proxy_fix import ProxyFix

from app.auth.rate_limits import add_rate_limit_headers
from app.errors import RateLimitUnavailableError
from app.services import health

log = logging.getLogger(__name__)

# The pages run no third-party script (charts are SVG drawn on the server) and carry no inline
# style or script: everything is 'self'.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

# Evidently's drift report is one self-contained page with inline scripts (and plotly's
# `new Function`). It gets its own policy: a sandbox without allow-same-origin runs it in an
# opaque origin, so its scripts can neither read the advisor's session nor call the app.
SANDBOXED_REPORT_POLICY = "; ".join(
    [
        "sandbox allow-scripts allow-popups allow-downloads",
        "default-src 'none'",
        "script-src 'unsafe-inline' 'unsafe-eval'",
        "style-src 'unsafe-inline'",
        "img-src data: blob:",
        "font-src data:",
        "frame-ancestors 'self'",
    ]
)

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",  # frame-ancestors for browsers that predate CSP level 2
    # Client ids appear in page URLs: never send them to another site.
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}
# A year, for this host and its subdomains (the bank's review asks for includeSubDomains).
STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains"
# Client pages and API answers carry personal data: no browser or proxy may keep a copy.
NO_STORE = "no-store"
# An incoming X-Request-ID (Heroku's router sends a UUID) is kept only when it is this tame.
SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


def request_id_from(given: str | None) -> str:
    """The caller's X-Request-ID when it is a safe token, else a fresh one made here."""
    if given and SAFE_REQUEST_ID.fullmatch(given):
        return given
    return uuid.uuid4().hex


def _limits(app: Flask) -> Limiter:
    """One bucket per client address for the anonymous /api routes, one for the sign-in POST.

    Routes behind an API key are metered per key by `require_api_key` instead. Flask-Limiter
    checks decorated limits when the view runs, so the registered views are replaced by their
    limited versions (the blueprints stay free of rate-limit code).
    """
    limiter = Limiter(get_remote_address, app=app)
    api_limit = limiter.shared_limit(lambda: app.config["RATELIMIT_API"], scope="api")
    api_endpoints = {r.endpoint for r in app.url_map.iter_rules() if r.rule.startswith("/api/")}
    for endpoint in sorted(api_endpoints):
        view = app.view_functions[endpoint]
        if not getattr(view, "requires_api_key", False):
            app.view_functions[endpoint] = api_limit(view)
    app.extensions["security_limiter"] = limiter  # the decorators hold it only weakly
    sign_in = app.view_functions.get("auth.sign_in")
    if sign_in is not None:
        sign_in_limit = limiter.limit(lambda: app.config["RATELIMIT_SIGN_IN"], methods=["POST"])
        app.view_functions["auth.sign_in"] = sign_in_limit(sign_in)
    return limiter


def _add_headers(app: Flask):
    policy = app.config["CONTENT_SECURITY_POLICY"] or CONTENT_SECURITY_POLICY
    strict_transport = app.config["FORCE_HTTPS"]

    def add_security_headers(response: Response) -> Response:
        if request.endpoint in app.config["CSP_SANDBOXED_ENDPOINTS"]:
            response.headers["Content-Security-Policy"] = SANDBOXED_REPORT_POLICY
        response.headers.setdefault("Content-Security-Policy", policy)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if request.endpoint != "static":
            response.headers.setdefault("Cache-Control", NO_STORE)
        if strict_transport and request.is_secure:
            response.headers.setdefault("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY)
        return response

    return add_security_headers


def _redirect_to_https():
    """Plain HTTP never reaches a view in production: 301 (GET, HEAD) or 308 (keeps the body)."""
    if not request.is_secure:
        code = 301 if request.method in ("GET", "HEAD") else 308
        return redirect(request.url.replace("http://", "https://", 1), code=code)
    return None


def _rate_limit_store_down(error: Exception):
    """Redis (RATELIMIT_STORAGE_URI) is unreachable: fail closed with a 503, never a 500, and
    never serve a call nobody counted. /api/health says so in its own shape."""
    log.error("Rate-limit store unreachable (request id %s): %s", g.get("request_id", "-"), error)
    if request.endpoint == "api.health_check":
        return health.status(also_down=("rate_limits",)), 503
    return current_app.handle_user_exception(RateLimitUnavailableError())


def init_security(app: Flask) -> Limiter:
    """Attach HTTPS, headers and limits; call after the blueprints are registered."""
    hops = int(app.config["PROXY_FIX_X_FOR"])
    if hops:
        # Client address and scheme from X-Forwarded-*: per-client limits, HTTPS-aware cookies.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    if app.config["FORCE_HTTPS"]:
        app.before_request_funcs.setdefault(None, []).insert(0, _redirect_to_https)
    app.after_request(_add_headers(app))
    app.after_request(add_rate_limit_headers)
    for store_error in (RedisError, StorageError):
        app.register_error_handler(store_error, _rate_limit_store_down)
    return _limits(app)
