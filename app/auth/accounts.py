"""Advisor accounts: creation and password checks (hashes only, never plain passwords)."""

import sqlalchemy as sa
from werkzeug.security import check_password_hash, generate_password_hash

from app.extensions import db
from app.models import User, utcnow

MIN_PASSWORD_LENGTH = 8
# A real hash to compare against when the username is unknown, so both paths take as long.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


class AccountError(ValueError):
    """A username or password that breaks a rule; the message names the rule."""


def create_advisor(username: str, password: str) -> User:
    """Create an advisor account; refuses duplicates, blank names and short passwords."""
    username = (username or "").strip()
    if not username or len(username) > 80:
        raise AccountError("username: must be 1 to 80 characters")
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise AccountError(f"password: must be at least {MIN_PASSWORD_LENGTH} characters")
    if find_advisor(username) is not None:
        raise AccountError(f"username: '{username}' already exists")
    user = User(username=username, password_hash=generate_password_hash(password))
    db.session.add(user)
    db.session.commit()
    return user


def set_password(username: str, password: str) -> User:
    """Replace an existing advisor's password; their sessions end."""
    user = _require_advisor(username)
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise AccountError(f"password: must be at least {MIN_PASSWORD_LENGTH} characters")
    user.password_hash = generate_password_hash(password)
    user.end_sessions()  # whoever had the old password is signed out everywhere
    db.session.commit()
    return user


def disable_advisor(username: str) -> User:
    """Refuse the advisor's sign-ins and end their sessions (the account is kept for the log)."""
    user = _require_advisor(username)
    user.disabled_at = user.disabled_at or utcnow()
    user.end_sessions()
    db.session.commit()
    return user


def enable_advisor(username: str) -> User:
    """Let a disabled advisor sign in again (with the same password)."""
    user = _require_advisor(username)
    user.disabled_at = None
    db.session.commit()
    return user


def _require_advisor(username: str) -> User:
    user = find_advisor(username)
    if user is None:
        raise AccountError(f"username: no advisor named '{username}'")
    return user


def find_advisor(username: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.username == username))


def authenticate(username: str, password: str) -> User | None:
    """The advisor if the password matches and the account is active, else None (same work
    either way)."""
    user = find_advisor((username or "").strip())
    if user is None:
        check_password_hash(_DUMMY_HASH, password or "")
        return None
    matches = check_password_hash(user.password_hash, password or "")
    return user if matches and user.is_active else None
