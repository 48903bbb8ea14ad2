"""The advisor dashboard: server-rendered pages behind sign-in.

Other parts plug into the shared layout through `hooks`: an alert banner (monitoring's drift
alert) and extra navigation links.
"""

from flask import Flask

from app.pages import hooks
from app.pages.errors import register_page_errors
from app.pages.routes import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    hooks.init_app(app)
    register_page_errors(app)
