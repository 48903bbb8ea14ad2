"""HTML error pages in the site layout (the API keeps its JSON errors under /api/)."""

from flask import Flask, current_app, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from app.pages.forms import FindClientForm

PAGE_CODES = (400, 403, 404, 405, 413, 429)


def render_error(error: HTTPException):
    """A full page in the site layout; a 404 offers the client search box."""
    status = error.code or 500
    template = "errors/404.html" if status == 404 else "errors/error.html"
    form = FindClientForm(formdata=None)
    title, message = error.name, error.description
    if isinstance(error, CSRFError):
        title = "The form expired"
        message = (
            "For your security, forms stop working after a while or after signing out. "
            "Go back, reload the page and send the form again."
        )
    context = {"error": error, "status": status, "form": form, "title": title, "message": message}
    return render_template(template, **context), status


def _for_pages(error: HTTPException):
    """Outside /api/ render the page; under /api/ defer to the app-wide JSON handler."""
    if request.path.startswith("/api/") or request.path == "/api":
        json_handler = current_app.error_handler_spec[None][None].get(HTTPException)
        return json_handler(error) if json_handler else error
    return render_error(error)


def register_page_errors(app: Flask) -> None:
    # Handlers keyed by status code win over the app's HTTPException handler (Flask looks up
    # codes first), so unknown URLs outside the API get the same page as a missing client.
    for code in PAGE_CODES:
        app.register_error_handler(code, _for_pages)
