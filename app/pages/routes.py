"""The advisor pages: thin views over the scoring, comparison and counterfactual services."""

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.datastructures import MultiDict

from app.pages import model_presenter, oversight, presenters
from app.pages.forms import (
    ApplicationForm,
    ComparisonForm,
    DecisionForm,
    FindClientForm,
    NewApplicationForm,
)
from app.services import charts, counterfactual, dashboard, decisions, letter, model_store, scoring
from app.services.clients import application_fields, get_client, require_client
from app.services.scoring import Application
from training.domain import REFUSED

bp = Blueprint("pages", __name__)
COMPARISON_DEFAULTS = {
    "variable": "AMT_CREDIT",
    "x": "AMT_INCOME_TOTAL",
    "y": "AMT_CREDIT",
    **dict.fromkeys(("age_band", "income_band", "contract_type", "education"), ""),
}


@bp.before_request
@login_required
def require_sign_in():
    """Every dashboard page needs a signed-in advisor (sign-in itself lives in app.auth)."""


def _actor() -> str:
    return current_user.username


@bp.get("/")
def home():
    form = FindClientForm(formdata=None)
    recent = dashboard.recent_scorings()
    return render_template(
        "pages/home.html", form=form, recent=recent, sources=presenters.sources()
    )


@bp.get("/clients/find")
def find_client():
    form = FindClientForm(request.args)
    if form.validate():
        return redirect(url_for("pages.client_page", client_id=form.client_id.data))
    recent = dashboard.recent_scorings()
    return render_template(
        "pages/home.html", form=form, recent=recent, sources=presenters.sources()
    ), 400


@bp.get("/clients/<int:client_id>")
def client_page(client_id: int):
    client = require_client(client_id)
    score = scoring.score_client(client, "page", _actor(), g.get("request_id"))
    form = ComparisonForm(MultiDict({**COMPARISON_DEFAULTS, **request.args.to_dict()}))
    if not form.validate():
        form.process(data=COMPARISON_DEFAULTS)  # show the defaults, and say why
        flash(_("Unknown comparison choice; the default comparison is shown instead."), "warning")
    return render_template(
        "pages/client.html",
        client=client,
        score=score,
        summary=presenters.decision_summary(score),
        gauge=charts.gauge_chart(score.probability_of_default, score.threshold),
        facts=presenters.facts(client.application),
        form=form,
        decision_form=DecisionForm(_scored(score), formdata=None),
        history=oversight.history_rows(decisions.decision_history(client_id)),
        **presenters.comparison_view(client.application, form),
    )


def _scored(score):
    """The logged scoring behind a Score (what a decision form decides on)."""
    return decisions.require_prediction(score.prediction_id)


@bp.route("/clients/<int:client_id>/what-if", methods=["GET", "POST"])
def what_if(client_id: int):
    client = require_client(client_id)
    form = ApplicationForm(data=ApplicationForm.data_from_application(client.application))
    original = scoring.score_applications([Application.of(client)])[0]
    result, status = None, 200
    if request.method == "POST":
        if form.validate_application():
            kept = {k: v for k, v in application_fields(client).items() if k not in form.COLUMNS}
            fields = {**kept, **form.application}
            result = scoring.score_what_if(fields, client_id, _actor(), g.get("request_id"))
        else:
            status = 400
    return render_template(
        "pages/what_if.html",
        client=client,
        form=form,
        original=presenters.decision_summary(original),
        result=result and presenters.decision_summary(result),
        change=result and presenters.probability_change(original, result),
    ), status


@bp.get("/clients/<int:client_id>/what-would-change")
def what_would_change(client_id: int):
    client = require_client(client_id)
    score = scoring.score_applications([Application.of(client)])[0]
    changes = None
    if score.decision == REFUSED:
        model = model_store.get_model().model
        changes = counterfactual.what_would_change(model, application_fields(client))
    return render_template(
        "pages/what_would_change.html",
        client=client,
        summary=presenters.decision_summary(score),
        changes=changes,
    )


@bp.route("/applications/new", methods=["GET", "POST"])
def new_application():
    form = NewApplicationForm()
    if request.method == "GET" or not form.validate_application():
        status = 400 if request.method == "POST" else 200
        return render_template("pages/new_application.html", form=form), status
    if form.save_as_client.data:
        client, score = dashboard.save_and_score(form.application, _actor(), g.get("request_id"))
        flash(_("Application saved as client %(id)s.", id=client.sk_id_curr), "success")
    else:
        application = Application(fields=form.application)
        request_id = g.get("request_id")
        score = scoring.score_and_log([application], "application", _actor(), request_id)[0]
    return render_template(
        "pages/new_application.html",
        form=form,
        score=score,
        summary=presenters.decision_summary(score),
        decision_form=DecisionForm(_scored(score), formdata=None),
    )


@bp.route("/predictions/<int:prediction_id>/decision", methods=["GET", "POST"])
def decide(prediction_id: int):
    """Record the final decision on one scoring; errors shown beside the fields (400)."""
    prediction = decisions.require_prediction(prediction_id)
    form = DecisionForm(prediction)
    if request.method == "POST" and form.validate_decision():
        decision = decisions.record_decision(
            prediction_id, form.final_decision.data, form.reason.data, form.comment.data,
            advisor=_actor(),
        )  # fmt: skip
        flash(oversight.recorded_message(decision), "success")
        if prediction.client_id is not None and get_client(prediction.client_id) is not None:
            target = url_for("pages.client_page", client_id=prediction.client_id)
            return redirect(target + "#decisions")
        return redirect(url_for("pages.decide", prediction_id=prediction_id))
    return render_template(
        "pages/decide.html",
        prediction=prediction,
        summary=oversight.prediction_summary(prediction),
        decision_form=form,
        history=oversight.history_rows(decisions.decisions_on(prediction_id)),
    ), 400 if request.method == "POST" else 200


@bp.get("/clients/<int:client_id>/letter")
def decision_letter(client_id: int):
    """The printable letter for the applicant about the decision in force."""
    client = require_client(client_id)
    try:
        decision, prediction = decisions.latest_decision(client_id)
    except decisions.NoDecisionError:
        return render_template("pages/letter.html", client=client, letter=None), 404
    return render_template(
        "pages/letter.html", client=client, letter=letter.letter_for(decision, prediction)
    )


@bp.get("/model")
def model():
    loaded = model_store.get_model()
    return render_template(
        "pages/model.html", loaded=loaded, **model_presenter.model_view(loaded.model)
    )
