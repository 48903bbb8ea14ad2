"""Advisor sign-in (Flask-Login sessions) and the `flask users` commands.

API keys for external systems live beside this in `api_keys.py` (owned by the API).
"""

from flask import Flask

from app.auth.commands import users_cli
from app.auth.routes import bp, load_user
from app.extensions import login_manager


def init_app(app: Flask) -> None:
    """Register the sign-in pages, the session user loader and the `flask users` command group."""
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = "Please sign in to see this page."
    login_manager.login_message_category = "info"
    login_manager.user_loader(load_user)
    app.register_blueprint(bp)
    app.cli.add_command(users_cli)
