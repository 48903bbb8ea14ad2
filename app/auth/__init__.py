"""Advisor sign-in (Flask-Login sessions), the `flask users` commands, and API keys for systems.

`require_api_key` is what the JSON views (app/api, app/monitoring) use to authenticate callers.
"""

from app.auth.api_keys import require_api_key

__all__ = ["require_api_key"]
