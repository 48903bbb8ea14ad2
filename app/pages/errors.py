"""The HTML error page, in the site layout, for every status (the API answers JSON: app/errors.py).

The factory passes `render_error` to app.errors.register_error_handlers, so a 404, a 503 with no
model and an unexpected 500 all look like the rest of the site.
"""

from flask import render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from app.errors import AppError
from app.pages.forms import FindClientForm

CSRF_MESSAGE = (
    "For your security, forms stop working after a while or after signing out. "
    "Go back, reload the page and send the form again."
)


def _title_and_message(error: HTTPException | AppError) -> tuple[str, str]:
    if isinstance(error, CSRFError):
        return "The form expired", CSRF_MESSAGE
    if isinstance(error, AppError):
        return error.page_message, error.page_message
    return error.name, error.description or ""


def render_error(error: HTTPException | AppError):
    """A full page for the error: a 404 offers the client search, a 503 says to retry."""
    status = error.status if isinstance(error, AppError) else error.code or 500
    title, message = _title_and_message(error)
    template = {404: "errors/404.html", 503: "errors/unavailable.html"}.get(status)
    context = {"status": status, "title": title, "message": message}
    if status == 404:
        context["form"] = FindClientForm(formdata=None)
        context["title"] = title if "client" in title.lower() else "Page not found"
    return render_template(template or "errors/error.html", **context), status
