"""The advisor's decision, its history and the letter, through the Flask test client."""

import re

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Client, Decision, Prediction
from app.services import decisions, letter, scoring
from app.services.clients import require_client


def _decisions(app) -> list[Decision]:
    with app.app_context():
        return list(db.session.scalars(sa.select(Decision).order_by(Decision.id)))


def _last_prediction(app) -> Prediction:
    with app.app_context():
        return db.session.scalars(sa.select(Prediction).order_by(Prediction.id.desc())).first()


def _open_client(advisor, app, client_id) -> tuple[str, int]:
    """The client page, and the scoring its decision form decides on."""
    page = advisor.get(f"/clients/{client_id}").get_data(as_text=True)
    prediction_id = _last_prediction(app).id
    assert f'action="/predictions/{prediction_id}/decision"' in page
    return page, prediction_id


def _decide(advisor, prediction_id, final, reason="", comment=""):
    return advisor.post(
        f"/predictions/{prediction_id}/decision",
        data={
            "decision-final_decision": final,
            "decision-reason": reason,
            "decision-comment": comment,
        },
    )


def test_client_page_has_the_decision_form_and_an_empty_history(advisor, app, demo_ids):
    page, _ = _open_client(advisor, app, demo_ids["refused"])
    assert '<h2 id="decisions-heading">Advisor\'s decision</h2>' in page
    assert "<legend>Final decision</legend>" in page
    assert re.search(r'<input id="decision-final_decision-0"[^>]*value="refused"', page)
    assert '<label for="decision-final_decision-0">Refuse (follow the model)</label>' in page
    assert '<label for="decision-final_decision-1">Accept (override the model)</label>' in page
    assert '<label for="decision-reason">Reason for overriding the model</label>' in page
    assert '<label for="decision-comment">Comment</label>' in page
    assert "checked" not in re.search(r'<fieldset class="radio-group".*?</fieldset>', page, re.S)[0]
    assert "No decision has been recorded yet." in page
    assert "/letter" not in page


def test_override_without_reason_shows_errors_and_writes_nothing(advisor, app, demo_ids):
    _, prediction_id = _open_client(advisor, app, demo_ids["refused"])
    response = _decide(advisor, prediction_id, "accepted")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "<title>Error: Decision on scoring" in page
    assert 'role="alert"' in page
    message = "Choose why you override the model&#39;s decision."
    assert f'<a href="#decision-reason">Reason for overriding the model: {message}</a>' in page
    assert f'<p class="field__error" id="decision-reason-error">{message}</p>' in page
    assert re.search(r'<select[^>]*aria-describedby="decision-reason-hint decision-reason-error"'
                     r'[^>]*aria-invalid="true"', page)  # fmt: skip
    assert re.search(r'<input checked id="decision-final_decision-1"', page)  # choice kept
    assert _decisions(app) == []


@pytest.mark.parametrize(
    ("final", "reason", "comment", "field", "message"),
    [
        ("", "", "", "final_decision", "Choose the final decision."),
        ("refused", "guarantor", "", "reason", "Leave the reason empty when you follow"),
        ("accepted", "fraud_suspicion", "", "reason", "Fraud suspicion cannot justify"),
        ("accepted", "other", "  ", "comment", "Explain the reason in the comment."),
        ("accepted", "guarantor", "x" * 1001, "comment", "Must be at most 1,000 characters"),
    ],
)
def test_each_broken_rule_is_shown_beside_its_field(
    advisor, app, demo_ids, final, reason, comment, field, message
):
    _, prediction_id = _open_client(advisor, app, demo_ids["refused"])
    response = _decide(advisor, prediction_id, final, reason, comment)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    error = re.search(rf'<p class="field__error" id="decision-{field}-error">(.*?)</p>', page)
    assert error and error.group(1).startswith(message), page[:200]
    assert _decisions(app) == []


def test_override_is_recorded_and_shown_in_the_history(advisor, app, demo_ids):
    client_id = demo_ids["refused"]
    _, prediction_id = _open_client(advisor, app, client_id)
    response = _decide(advisor, prediction_id, "accepted", "documents_verified", "Payslips seen.")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/clients/{client_id}#decisions"
    [decision] = _decisions(app)
    assert (decision.prediction_id, decision.client_id, decision.advisor) == (
        prediction_id, client_id, "advisor",
    )  # fmt: skip
    assert (decision.model_decision, decision.final_decision, decision.overridden) == (
        "refused", "accepted", True,
    )  # fmt: skip
    assert (decision.reason, decision.comment) == ("documents_verified", "Payslips seen.")

    page = advisor.get(f"/clients/{client_id}").get_data(as_text=True)
    assert (
        "Decision recorded: accepted, overriding the model&#39;s refusal (Documents verified)."
        in page
    )
    history = re.search(r'<table id="decision-history">.*?</table>', page, re.S)[0]
    assert '<td translate="no">advisor</td>' in history and "<td>Overridden</td>" in history
    assert (
        "<td>Documents verified</td>" in history
        and '<td translate="no">Payslips seen.</td>' in history
    )
    with app.app_context():
        seen = db.session.get(Prediction, prediction_id)
        version, probability = seen.model_version, seen.probability_of_default
    assert f"<td>{version}</td>" in history
    assert f'<td class="num">{100 * probability:.1f}%</td>' in history
    assert f'href="/clients/{client_id}/letter"' in page


def test_a_change_of_mind_is_a_new_row_and_the_letter_follows_it(advisor, app, demo_ids):
    client_id = demo_ids["refused"]
    _, first = _open_client(advisor, app, client_id)
    assert _decide(advisor, first, "accepted", "guarantor").status_code == 302
    _, second = _open_client(advisor, app, client_id)
    assert _decide(advisor, second, "refused").status_code == 302
    rows = _decisions(app)
    assert [(d.final_decision, d.overridden) for d in rows] == [
        ("accepted", True),
        ("refused", False),
    ]
    page = advisor.get(f"/clients/{client_id}").get_data(as_text=True)
    history = re.search(r'<table id="decision-history">.*?</table>', page, re.S)[0]
    assert history.index("<td>Followed</td>") < history.index("<td>Overridden</td>")  # newest first
    letter_page = advisor.get(f"/clients/{client_id}/letter").get_data(as_text=True)
    assert "Your loan application has been refused" in letter_page


def test_refusal_letter_in_plain_words(advisor, app, demo_ids):
    client_id = demo_ids["refused"]
    _, prediction_id = _open_client(advisor, app, client_id)
    _decide(advisor, prediction_id, "refused")
    response = advisor.get(f"/clients/{client_id}/letter")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<link rel="stylesheet" href="/static/css/letter.css">' in page
    assert re.findall(r"<h1[^>]*>(.*?)</h1>", page) == ["Your loan application has been refused"]
    reasons = re.search(
        r"<h2>The main reasons</h2>\s*<p>These parts of your application weighed most against "
        r"it:</p>\s*<ul>(.*?)</ul>",
        page,
        re.S,
    ).group(1)
    items = re.findall(r"<li>(.*?)</li>", reasons)
    assert 1 <= len(items) <= 3
    assert not any(re.search(r"\bage\b", item, re.I) for item in items)
    assert "What could change the decision" in page
    assert "Your right to a review by a person" in page
    assert f"application reference {client_id}" in page
    with app.app_context():
        version = db.session.get(Prediction, prediction_id).model_version
    assert f"Credit-risk model version {version}." in page
    assert 'id="print-letter"' in page and "/static/js/print.js" in page


def test_advisor_refusal_of_an_accepted_application_never_says_fraud(advisor, app, demo_ids):
    client_id = demo_ids["accepted"]
    _, prediction_id = _open_client(advisor, app, client_id)
    response = _decide(advisor, prediction_id, "refused", "fraud_suspicion", "ID card altered.")
    assert response.status_code == 302
    page = advisor.get(f"/clients/{client_id}/letter").get_data(as_text=True)
    article = re.search(r'<article class="letter".*?</article>', page, re.S)[0]
    assert "We could not confirm some of the information in your application." in article
    assert "fraud" not in article.lower()
    assert "ID card altered." not in article  # comments are for advisors only
    assert "An advisor reviewed your application and made this" in page


def test_letter_without_a_decision_says_how_to_get_one(advisor, demo_ids):
    client_id = demo_ids["accepted"]
    response = advisor.get(f"/clients/{client_id}/letter")
    page = response.get_data(as_text=True)
    assert response.status_code == 404
    assert f"No decision letter for client {client_id} yet" in page
    assert f'href="/clients/{client_id}#decisions"' in page


def test_letters_never_give_age_or_a_protected_attribute(app):
    """Accepted letters list what lowered the risk, where age often is: it is never told."""
    with app.app_context():
        ids = list(db.session.scalars(sa.select(Client.sk_id_curr).limit(40)))
        found_age = 0
        for client_id in ids:
            score = scoring.score_client(require_client(client_id), "page", "advisor")
            found_age += any(r["group"] == "age" for r in score.reasons)
            decision = decisions.record_decision(
                score.prediction_id, score.decision, advisor="advisor"
            )
            prediction = decisions.require_prediction(score.prediction_id)
            written = letter.letter_for(decision, prediction)
            assert len(written.reasons) <= 3
            text = " ".join(written.reasons + written.changes).lower()
            assert not re.search(r"\bage\b|gender|family status|marital", text), text
        db.session.remove()
    assert found_age > 0  # the model does use age: the rule was really exercised


def test_new_application_result_offers_the_decision_form(advisor, app):
    fields = {"AMT_CREDIT": "500000", "AMT_ANNUITY": "25000", "AMT_INCOME_TOTAL": "150000"}
    page = advisor.post("/applications/new", data=fields).get_data(as_text=True)
    prediction = _last_prediction(app)
    assert prediction.client_id is None
    assert f'action="/predictions/{prediction.id}/decision"' in page
    assert page.count('id="decision-form"') == 1
    response = _decide(advisor, prediction.id, prediction.decision)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/predictions/{prediction.id}/decision"
    page = advisor.get(f"/predictions/{prediction.id}/decision").get_data(as_text=True)
    assert "Decision recorded:" in page and "following the model." in page
    assert "<td>Followed</td>" in page
    assert [d.client_id for d in _decisions(app)] == [None]


def test_a_what_if_scoring_cannot_be_decided(advisor, app, demo_ids):
    client_id = demo_ids["refused"]
    advisor.post(f"/clients/{client_id}/what-if", data={"EXT_SOURCE_2": "0.9"})
    what_if = _last_prediction(app)
    assert what_if.source == "whatif"
    response = _decide(advisor, what_if.id, what_if.decision)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "not of a what-if change" in page and 'role="alert"' in page
    assert _decisions(app) == []


def test_unknown_scoring_is_a_404_page(advisor):
    response = advisor.get("/predictions/999999/decision")
    assert response.status_code == 404
    assert response.mimetype == "text/html"


def test_decisions_and_letters_need_sign_in(anonymous, demo_ids):
    for url in (f"/clients/{demo_ids['accepted']}/letter", "/predictions/1/decision"):
        response = anonymous.get(url)
        assert response.status_code == 302 and "/auth/sign-in" in response.headers["Location"]
    response = anonymous.post("/predictions/1/decision", data={"decision-final_decision": "x"})
    assert response.status_code == 302
    assert "/auth/sign-in" in response.headers["Location"]


def test_performance_page_before_any_run(advisor):
    page = advisor.get("/monitoring/performance").get_data(as_text=True)
    assert re.findall(r"<h1[^>]*>(.*?)</h1>", page) == ["Model performance on known outcomes"]
    assert "No performance check yet" in page
    assert "flask --app app outcomes load outcomes.csv" in page
    assert '<a href="/monitoring/performance" aria-current="page">Performance</a>' in page


def test_the_decision_form_needs_its_csrf_token_but_the_api_does_not(make_app, demo_ids):
    from app.auth.api_keys import create_key
    from tests.helpers import ADVISOR, PASSWORD

    app = make_app(WTF_CSRF_ENABLED=True)
    browser = app.test_client()
    page = browser.get("/auth/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    signed_in = browser.post(
        "/auth/sign-in", data={"username": ADVISOR, "password": PASSWORD, "csrf_token": token}
    )
    assert signed_in.status_code == 302
    page, prediction_id = _open_client(browser, app, demo_ids["refused"])
    token = re.search(r'name="decision-csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    refused = _decide(browser, prediction_id, "refused")
    assert refused.status_code == 400
    assert "The form expired" in refused.get_data(as_text=True)
    assert _decisions(app) == []
    data = {"decision-final_decision": "refused", "decision-csrf_token": token}
    assert browser.post(f"/predictions/{prediction_id}/decision", data=data).status_code == 302
    assert len(_decisions(app)) == 1

    with app.app_context():
        key = create_key("csrf-tests")
    body = {"prediction_id": prediction_id, "final_decision": "refused"}
    api = app.test_client().post("/api/decisions", json=body, headers={"X-API-Key": key})
    assert api.status_code == 201


def test_decision_and_letter_in_french(advisor, app, demo_ids):
    """The confirmation, the form's errors and the letter follow the page's language; the API's
    record of the same decision stays English."""
    french = {"Accept-Language": "fr"}
    client_id = demo_ids["refused"]
    page = advisor.get(f"/clients/{client_id}", headers=french).get_data(as_text=True)
    prediction_id = _last_prediction(app).id
    assert '<label for="decision-final_decision-1">Accorder (écarter le modèle)</label>' in page
    data = {"decision-final_decision": "accepted", "decision-reason": "fraud_suspicion"}
    page = advisor.post(f"/predictions/{prediction_id}/decision", data=data, headers=french)
    assert page.status_code == 400
    assert "Le motif «\u00a0Soupçon de fraude\u00a0» ne peut pas justifier cette décision." in (
        page.get_data(as_text=True)
    )
    data = {**data, "decision-reason": "documents_verified"}
    advisor.post(f"/predictions/{prediction_id}/decision", data=data, headers=french)
    page = advisor.get(f"/clients/{client_id}", headers=french).get_data(as_text=True)
    assert (
        "Décision enregistrée\u00a0: accordé, en écartant le refus du modèle "
        "(Justificatifs vérifiés)." in page
    )
    assert "<td>Justificatifs vérifiés</td>" in page
    letter_page = advisor.get(f"/clients/{client_id}/letter", headers=french)
    text = letter_page.get_data(as_text=True)
    assert re.findall(r"<h1[^>]*>(.*?)</h1>", text) == ["Votre demande de prêt est acceptée"]
    assert (
        "Les documents que vous avez fournis ont confirmé les informations de votre demande."
        in text
    )
    assert re.search(r"Décision du \d{1,2} \w+ \d{4}\.", text)  # a French date: 29 novembre 2026
    with app.app_context():
        (decision,) = _decisions(app)
        assert decision.reason == "documents_verified"
        prediction = decisions.require_prediction(prediction_id)
        assert decisions.decision_summary(decision, prediction)["reason"] == "documents_verified"
