"""Advisor sign-in (Flask-Login sessions), the `flask users` commands, and API keys for systems.

`require_api_key` is what the JSON views (app/api, app/monitoring) use to authenticate callers;
`charge_batch` counts a batch against the caller's key as that many calls.
"""

from app.auth.api_keys import charge_batch, require_api_key

__all__ = ["charge_batch", "require_api_key"]
