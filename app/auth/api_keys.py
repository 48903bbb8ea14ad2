"""API keys for external systems: X-API-Key header, stored as sha256, revocable by name.

Each key has its own rate limit (set at creation, else RATELIMIT_API_KEY); a request without a
valid key is limited per address instead (app/auth/rate_limits.py).
"""

import functools
import hashlib
import hmac
import secrets

import sqlalchemy as sa
from flask import g, request

from app.auth.rate_limits import charge_address, charge_key
from app.config import check_rate
from app.errors import AppError
from app.extensions import db
from app.models import ApiKey, utcnow

HEADER = "X-API-Key"


def hash_key(key: str) -> str:
    """sha256 hex digest; keys are long random tokens, so a plain hash is enough (no salt)."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def create_key(name: str, rate: str | None = None) -> str:
    """Create (or replace) the key called `name`; returns the plain key, shown only once.

    `rate` ("600 per minute") is the key's own limit; None means RATELIMIT_API_KEY.
    Raises app.config.ConfigError naming the rule when `rate` is not a rate.
    """
    if rate is not None:
        check_rate("--rate", rate)
    key = secrets.token_urlsafe(32)
    existing = db.session.scalars(sa.select(ApiKey).where(ApiKey.name == name)).first()
    if existing is None:
        db.session.add(ApiKey(name=name, key_hash=hash_key(key), rate_limit=rate))
    else:
        existing.key_hash, existing.revoked_at, existing.created_at = hash_key(key), None, utcnow()
        existing.rate_limit = rate
    db.session.commit()
    return key


def revoke_key(name: str) -> bool:
    """Revoke the key called `name`; False if there is no active key by that name."""
    key = db.session.scalars(
        sa.select(ApiKey).where(ApiKey.name == name, ApiKey.revoked_at.is_(None))
    ).first()
    if key is None:
        return False
    key.revoked_at = utcnow()
    db.session.commit()
    return True


# Asked on every API call: built once, and reading three columns rather than loading an ORM row.
_ACTIVE_KEY = sa.select(ApiKey.name, ApiKey.rate_limit, ApiKey.key_hash).where(
    ApiKey.key_hash == sa.bindparam("digest"), ApiKey.revoked_at.is_(None)
)


def active_key(key: str | None) -> sa.Row | None:
    """The active key matching `key` (its `name`, `rate_limit` and `key_hash`), else None."""
    if not key:
        return None
    digest = hash_key(key)
    found = db.session.execute(_ACTIVE_KEY, {"digest": digest}).first()
    return found if found and hmac.compare_digest(found.key_hash, digest) else None


def key_owner(key: str | None) -> str | None:
    """Name of the active key matching `key`, else None."""
    found = active_key(key)
    return found.name if found else None


def charge_batch(size: int) -> None:
    """A batch counts as `size` requests: the call itself was counted, count the rest."""
    if size > 1:
        charge_key(g.api_client, g.api_key_rate, size - 1, total=size)


def require_api_key(view):
    """Decorator: 401 JSON unless X-API-Key is an active key; sets g.api_client to its name.

    The call counts against the key's rate limit; without a valid key, against the address's.
    """

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        found = active_key(request.headers.get(HEADER))
        if found is None:
            charge_address()
            given = HEADER in request.headers
            message = f"{HEADER} header is {'not a valid key' if given else 'missing'}."
            raise AppError(message, {"header": HEADER}, status=401, code="unauthorized")
        g.api_client, g.api_key_rate = found.name, found.rate_limit
        charge_key(found.name, found.rate_limit)
        return view(*args, **kwargs)

    wrapped.requires_api_key = True  # app/security.py: limited per key, not per address
    return wrapped
