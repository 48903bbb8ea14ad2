"""The API console at /api/console: a public page to try every /api operation (thin views).

Without JavaScript each operation is a form whose submission sends the call and shows the page
again with its answer; with JavaScript (static/js/console.js) the same form is posted by
`fetch`, and this view answers the answer's HTML and a one-line summary for the live region.
Sending needs a valid API key like any call: the key is passed to the call and forgotten, never
stored, logged or written back into the page.
"""

from dataclasses import dataclass, field

from flask import Blueprint, abort, current_app, render_template, request
from flask_babel import gettext as _
from flask_babel import ngettext

from app.console import calls
from app.console.operations import (
    Example,
    Operation,
    Snippets,
    console_operations,
    find_operation,
    snippets,
)
from app.services.formatting import number

bp = Blueprint("api_console", __name__, url_prefix="/api/console")

LONGEST_KEY = 256  # keys made by `flask api-keys create` have 43 characters


@dataclass
class Panel:
    """One operation as the page shows it: its form's state, and the answer once sent."""

    operation: Operation
    example: Example | None
    body: str
    values: dict[str, str]
    snippets: list[tuple[Example | None, Snippets]]
    errors: list[tuple[str, str]] = field(default_factory=list)  # (field id, message)
    answer: calls.Answer | None = None

    @property
    def error_fields(self) -> dict[str, str]:
        return dict(self.errors)


def _panel(operation: Operation, example_name=None, body=None, values=None) -> Panel:
    example = operation.example(example_name)
    base_url = request.host_url
    return Panel(
        operation=operation,
        example=example,
        body=body if body is not None else (example.body if example else ""),
        values=values or {p.name: p.example for p in operation.parameters},
        snippets=[(e, snippets(operation, e, base_url)) for e in operation.examples or [None]],
    )


def _check(panel: Panel, api_key: str) -> list[tuple[str, str]]:
    """What stops the console from sending: the rest is the API's to judge."""
    op_id, errors = panel.operation.operation_id, []
    for parameter in panel.operation.parameters:
        if not parameter.accepts(panel.values[parameter.name]):
            rule = _("a whole number") if parameter.kind == "integer" else _("letters and digits")
            message = _("%(name)s: enter %(rule)s.", name=parameter.name, rule=rule)
            errors.append((f"{op_id}-{parameter.name}", message))
    if len(api_key) > LONGEST_KEY:
        message = _("API key: at most %(num)s characters.", num=LONGEST_KEY)
        errors.append((f"{op_id}-key", message))
    return errors


def _summary(panel: Panel) -> str:
    """The line the live region reads out."""
    if panel.errors:
        count = len(panel.errors)
        return ngettext("Not sent: %(num)d problem.", "Not sent: %(num)d problems.", count)
    answer = panel.answer
    return _(
        "Answer: %(status)s %(reason)s in %(time)s ms.",
        status=answer.status,
        reason=answer.reason,
        time=number(answer.elapsed_ms, 1),
    )


def _wants_fragment() -> bool:
    """console.js asks for JSON: the answer's HTML to put in place, not a whole page."""
    best = request.accept_mimetypes.best_match(("text/html", "application/json"))
    return best == "application/json"


@bp.get("")
def index():
    """Every operation with its first example, or the one chosen with ?operation=&example=."""
    chosen = request.args.get("operation")
    example = request.args.get("example")
    panels = [
        _panel(op, example if op.operation_id == chosen else None) for op in console_operations()
    ]
    return render_template("console/index.html", panels=panels)


@bp.post("")
def send():
    """Send one call to the API and show its answer."""
    request.max_form_memory_size = current_app.config["MAX_CONTENT_LENGTH"]  # a full batch fits
    form = request.form
    operation = find_operation(form.get("operation"))
    if operation is None:
        abort(400)
    values = {p.name: form.get(f"param-{p.name}", "").strip() for p in operation.parameters}
    panel = _panel(operation, form.get("example"), form.get("body", ""), values)
    api_key = form.get("api_key", "").strip()
    panel.errors = _check(panel, api_key)
    if not panel.errors:
        path = operation.url_path(values)
        app = current_app._get_current_object()
        panel.answer = calls.send(app, request.environ, operation.method, path, panel.body, api_key)
    status = 400 if panel.errors else 200
    if _wants_fragment():
        html = render_template("console/_answer.html", panel=panel)
        return {"summary": _summary(panel), "html": html}, status
    panels = [panel if op is operation else _panel(op) for op in console_operations()]
    return render_template("console/index.html", panels=panels, summary=_summary(panel)), status
