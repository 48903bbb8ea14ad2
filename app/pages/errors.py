"""The HTML error page, in the site layout, for every status (the API answers JSON: app/errors.py).

The factory passes `render_error` to app.errors.register_error_handlers, so a 404, a 503 with no
model and an unexpected 500 all look like the rest of the site. Messages are the page's
language: a domain error's page message by its code, an HTTP error by its status (werkzeug's
own words are English).
"""

from flask import g, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from app.errors import AppError
from app.pages.forms import FindClientForm

CSRF_MESSAGE = _l(
    "For your security, forms stop working after a while or after signing out. "
    "Go back, reload the page and send the form again."
)
# Titles and messages of the HTTP errors a person can meet on a page.
HTTP_PAGES = {
    400: (_l("Bad request"), _l("The page could not understand what was sent.")),
    403: (_l("Forbidden"), _l("You are not allowed to see this page.")),
    404: (_l("Page not found"), _l("The page you asked for does not exist.")),
    405: (_l("Method not allowed"), _l("This page cannot be used this way.")),
    413: (_l("Too much data"), _l("What was sent is larger than the limit.")),
    429: (_l("Too many requests"), _l("Too many attempts in a short time; wait a minute.")),
    500: (_l("Internal error"), _l("Something went wrong on our side.")),
}
# Domain errors (app.errors.AppError codes) as an advisor reads them.
APP_MESSAGES = {
    "model_unavailable": _l("Scoring is unavailable right now: no model is loaded."),
    "database_unavailable": _l(
        "Scoring is unavailable right now: the prediction log cannot be written."
    ),
    "rate_limit_unavailable": _l("The service is unavailable for a moment. Try again in a minute."),
}


def _app_error_text(error: AppError) -> str:
    if error.code == "client_not_found" or hasattr(error, "client_ids"):
        client_id = getattr(error, "client_ids", ["?"])[0]
        return _("No client with application id %(id)s", id=client_id)
    if error.code in APP_MESSAGES:
        return str(APP_MESSAGES[error.code])
    return error.page_message


def _title_and_message(error: HTTPException | AppError, status: int) -> tuple[str, str]:
    if isinstance(error, CSRFError):
        return _("The form expired"), str(CSRF_MESSAGE)
    if isinstance(error, AppError):
        text = _app_error_text(error)
        return text, text
    title, message = HTTP_PAGES.get(status, (error.name, error.description or ""))
    if status == 500:
        message = _(
            "Internal error; quote request id %(id)s when reporting it.",
            id=g.get("request_id", "-"),
        )
    elif status == 400 and error.description and error.description != type(error).description:
        message = error.description  # a view's own reason, already in the page's language
    return str(title), str(message)


def render_error(error: HTTPException | AppError):
    """A full page for the error: a 404 offers the client search, a 503 says to retry."""
    status = error.status if isinstance(error, AppError) else error.code or 500
    title, message = _title_and_message(error, status)
    template = {404: "errors/404.html", 503: "errors/unavailable.html"}.get(status)
    context = {"status": status, "title": title, "message": message}
    if status == 404:
        context["form"] = FindClientForm(formdata=None)
    return render_template(template or "errors/error.html", **context), status
