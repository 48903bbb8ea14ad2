"""API keys for external systems: X-API-Key header, stored as sha256, revocable by name."""

import functools
import hashlib
import hmac
import secrets

import sqlalchemy as sa
from flask import g, request

from app.errors import AppError
from app.extensions import db
from app.models import ApiKey, utcnow

HEADER = "X-API-Key"


def hash_key(key: str) -> str:
    """sha256 hex digest; keys are long random tokens, so a plain hash is enough (no salt)."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def create_key(name: str) -> str:
    """Create (or replace) the key called `name`; returns the plain key, shown only once."""
    key = secrets.token_urlsafe(32)
    existing = db.session.scalars(sa.select(ApiKey).where(ApiKey.name == name)).first()
    if existing is None:
        db.session.add(ApiKey(name=name, key_hash=hash_key(key)))
    else:
        existing.key_hash, existing.revoked_at, existing.created_at = hash_key(key), None, utcnow()
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


def key_owner(key: str | None) -> str | None:
    """Name of the active key matching `key`, else None."""
    if not key:
        return None
    digest = hash_key(key)
    found = db.session.scalars(
        sa.select(ApiKey).where(ApiKey.key_hash == digest, ApiKey.revoked_at.is_(None))
    ).first()
    return found.name if found and hmac.compare_digest(found.key_hash, digest) else None


def require_api_key(view):
    """Decorator: 401 JSON unless X-API-Key is an active key; sets g.api_client to its name."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        owner = key_owner(request.headers.get(HEADER))
        if owner is None:
            given = HEADER in request.headers
            message = f"{HEADER} header is {'not a valid key' if given else 'missing'}."
            raise AppError(message, {"header": HEADER}, status=401, code="unauthorized")
        g.api_client = owner
        return view(*args, **kwargs)

    return wrapped
