"""Extension points of base.html for other blueprints (monitoring registers its alert here).

    from app.pages.hooks import register_alert_provider, register_nav_item
    register_alert_provider(app, lambda: [{"level": "warning", "message": "...", "url": "..."}])
    register_nav_item(app, "Monitoring", "monitoring.index")

A provider is called on every signed-in page render and returns a list of dicts with keys
`message` (required), `level` ("warning" | "error" | "info"), `url`, `link_text`.
"""

import logging

from flask import Flask, current_app, request, url_for
from flask_login import current_user

log = logging.getLogger(__name__)
ALERTS_KEY = "dashboard_alert_providers"
NAV_KEY = "dashboard_nav_items"
CORE_NAV = [
    ("Find a client", "pages.home"),
    ("New application", "pages.new_application"),
    ("Model", "pages.model"),
]


def register_alert_provider(app: Flask, provider) -> None:
    app.extensions.setdefault(ALERTS_KEY, []).append(provider)


def register_nav_item(app: Flask, label: str, endpoint: str) -> None:
    app.extensions.setdefault(NAV_KEY, []).append((label, endpoint))


def _site_alerts() -> list[dict]:
    if not current_user.is_authenticated:
        return []
    alerts = []
    for provider in current_app.extensions.get(ALERTS_KEY, []):
        try:
            alerts.extend(provider() or [])
        except Exception:  # a broken banner must never take the page down with it
            log.exception("Alert provider %r failed", provider)
    return alerts


def _nav_items() -> list[dict]:
    items = []
    for label, endpoint in CORE_NAV + current_app.extensions.get(NAV_KEY, []):
        if endpoint in current_app.view_functions:
            items.append(
                {"label": label, "url": url_for(endpoint), "current": request.endpoint == endpoint}
            )
    return items


def init_app(app: Flask) -> None:
    app.extensions.setdefault(ALERTS_KEY, [])
    app.extensions.setdefault(NAV_KEY, [])

    @app.context_processor
    def layout_context():
        return {"site_alerts": _site_alerts(), "nav_items": _nav_items()}
