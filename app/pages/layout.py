"""What the shared layout (base.html) shows on every page: the navigation and the alert banners.

The factory says which banners and extra links there are (monitoring's drift alert and its
page), so the parts of the app never reach into each other to plug themselves in:

    init_layout(app, nav_items=[("Monitoring", "monitoring.index")], alert_providers=[drift_alerts])

A provider is called on every signed-in page render and returns a list of dicts with keys
`message` (required), `level` ("warning" | "error" | "info"), `url`, `link_text`.
"""

import logging
from collections.abc import Callable, Iterable

from flask import Flask, current_app, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

log = logging.getLogger(__name__)
LAYOUT_KEY = "page_layout"
CORE_NAV = [
    (_l("Find a client"), "pages.home"),
    (_l("New application"), "pages.new_application"),
    (_l("Model"), "pages.model"),
]


def _site_alerts() -> list[dict]:
    if not current_user.is_authenticated:
        return []
    alerts = []
    for provider in current_app.extensions[LAYOUT_KEY]["alerts"]:
        try:
            alerts.extend(provider() or [])
        except Exception:  # a broken banner must never take the page down with it
            log.exception("Alert provider %r failed", provider)
    return alerts


def _nav_items() -> list[dict]:
    return [
        {"label": str(label), "url": url_for(endpoint), "current": request.endpoint == endpoint}
        for label, endpoint in current_app.extensions[LAYOUT_KEY]["nav"]
    ]


def add_nav_item(app: Flask, label: str, endpoint: str) -> None:
    """A link after the core navigation (a lazy_gettext label, so it follows the language)."""
    app.extensions[LAYOUT_KEY]["nav"].append((label, endpoint))


def add_alert_provider(app: Flask, provider: Callable[[], list[dict]]) -> None:
    """A function giving banners for every signed-in page."""
    app.extensions[LAYOUT_KEY]["alerts"].append(provider)


def init_layout(
    app: Flask,
    nav_items: Iterable[tuple[str, str]] = (),
    alert_providers: Iterable[Callable[[], list[dict]]] = (),
) -> None:
    """Navigation (label, endpoint) after the core links, and the banner providers."""
    app.extensions[LAYOUT_KEY] = {"nav": list(CORE_NAV), "alerts": []}
    for label, endpoint in nav_items:
        add_nav_item(app, label, endpoint)
    for provider in alert_providers:
        add_alert_provider(app, provider)

    @app.context_processor
    def layout_context():
        return {"site_alerts": _site_alerts(), "nav_items": _nav_items()}
