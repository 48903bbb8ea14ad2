"""Security headers and rate limits, attached to the app by `init_security(app)`.

The settings (RATELIMIT_*, PROXY_FIX_X_FOR, CONTENT_SECURITY_POLICY, CSP_SANDBOXED_ENDPOINTS)
are read from the app config, which app/config.py fills.
"""

from flask import Flask, Response, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from werkzeug.middleware.proxy_fix import ProxyFix

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


def _limits(app: Flask) -> Limiter:
    """One bucket per client address for all of /api, and one for the sign-in POST.

    Flask-Limiter checks decorated limits when the view runs, so the registered views are
    replaced by their limited versions (the blueprints stay free of rate-limit code).
    """
    limiter = Limiter(get_remote_address, app=app)
    api_limit = limiter.shared_limit(lambda: app.config["RATELIMIT_API"], scope="api")
    api_endpoints = {r.endpoint for r in app.url_map.iter_rules() if r.rule.startswith("/api/")}
    for endpoint in sorted(api_endpoints):
        app.view_functions[endpoint] = api_limit(app.view_functions[endpoint])
    app.extensions["security_limiter"] = limiter  # the decorators hold it only weakly
    sign_in = app.view_functions.get("auth.sign_in")
    if sign_in is not None:
        sign_in_limit = limiter.limit(lambda: app.config["RATELIMIT_SIGN_IN"], methods=["POST"])
        app.view_functions["auth.sign_in"] = sign_in_limit(sign_in)
    return limiter


def _add_headers(app: Flask):
    policy = app.config["CONTENT_SECURITY_POLICY"] or CONTENT_SECURITY_POLICY
    strict_transport = app.config.get("SESSION_COOKIE_SECURE", False)

    def add_security_headers(response: Response) -> Response:
        if request.endpoint in app.config["CSP_SANDBOXED_ENDPOINTS"]:
            response.headers["Content-Security-Policy"] = SANDBOXED_REPORT_POLICY
        response.headers.setdefault("Content-Security-Policy", policy)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if strict_transport and request.is_secure:
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response

    return add_security_headers


def init_security(app: Flask) -> Limiter:
    """Attach headers and limits; call after the blueprints are registered."""
    hops = int(app.config["PROXY_FIX_X_FOR"])
    if hops:
        # Client address and scheme from X-Forwarded-*: per-client limits, HTTPS-aware cookies.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    app.after_request(_add_headers(app))
    return _limits(app)
