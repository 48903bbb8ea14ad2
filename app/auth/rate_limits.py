"""Rate limits for API callers: per API key (each key has its own rate), per address without one.

A request costs 1, a batch as many as it has applications. The counters live in the storage of
the app's Flask-Limiter (RATELIMIT_STORAGE_URI): with redis:// every gunicorn worker and every
dyno shares them; with memory:// each worker counts alone.
"""

import math
import time

from flask import current_app, g
from flask_limiter.util import get_remote_address
from limits import parse as parse_rate

from app.errors import AppError

KEY_SCOPE = "api-key"
ADDRESS_SCOPE = "api-address"  # callers with a missing or invalid key: guessing keys is slow


def _limiter():
    limiter = current_app.extensions.get("security_limiter")
    return limiter if limiter is not None and limiter.enabled else None


def _headers(rate, strategy, scope: str, identity: str) -> dict:
    reset, remaining = strategy.get_window_stats(rate, scope, identity)
    return {
        "X-RateLimit-Limit": str(rate.amount),
        "X-RateLimit-Remaining": str(max(0, int(remaining))),
        "X-RateLimit-Reset": str(int(reset)),
    }


def charge(scope: str, identity: str, rate_text: str, cost: int = 1, total: int = 0) -> None:
    """Count `cost` requests against `identity`; AppError 429 (nothing counted) when over.

    `total` is what the whole request counts when part of it was charged before (a batch).
    """
    limiter = _limiter()
    if limiter is None:
        return
    rate, strategy = parse_rate(rate_text), limiter.limiter
    # test before hit: a refused request must not eat the rest of the window.
    allowed = strategy.test(rate, scope, identity, cost=cost)
    if not (allowed and strategy.hit(rate, scope, identity, cost=cost)):
        headers = _headers(rate, strategy, scope, identity)
        retry_after = max(1, math.ceil(int(headers["X-RateLimit-Reset"]) - time.time()))
        headers["Retry-After"] = str(retry_after)
        total = max(total, cost)
        message = f"{rate}"
        if total > rate.amount:
            message = f"{rate}: this request counts {total}; send at most {rate.amount} at once"
        raise AppError(
            message,
            {"limit": str(rate), "cost": total},
            status=429,
            code="too_many_requests",
            headers=headers,
        )
    g.rate_limit_headers = _headers(rate, strategy, scope, identity)


def charge_key(name: str, rate_text: str | None, cost: int = 1, total: int = 0) -> None:
    """Charge the API key `name` at its own rate (or RATELIMIT_API_KEY)."""
    charge(KEY_SCOPE, name, rate_text or current_app.config["RATELIMIT_API_KEY"], cost, total)


def charge_address() -> None:
    """Charge the caller's address at RATELIMIT_API (for requests without a valid key)."""
    charge(ADDRESS_SCOPE, get_remote_address(), current_app.config["RATELIMIT_API"])


def add_rate_limit_headers(response):
    """X-RateLimit-* on answers to keyed routes (Flask-Limiter adds them to the others)."""
    for name, value in g.get("rate_limit_headers", {}).items():
        response.headers.setdefault(name, value)
    return response
