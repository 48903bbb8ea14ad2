"""Every dashboard page and form through the Flask test client: content, errors, logging."""

import re
import time

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Client, Prediction


def _predictions(app):
    with app.app_context():
        return list(db.session.scalars(sa.select(Prediction).order_by(Prediction.id)))


def _one_h1(page: str) -> str:
    headings = re.findall(r"<h1[^>]*>(.*?)</h1>", page, re.S)
    assert len(headings) == 1, headings
    return headings[0].strip()


def _charts(page: str) -> dict:
    """Chart id -> the server-drawn SVG inlined in its figure."""
    found = re.findall(
        r'<div class="chart__figure" id="([^"]+)">(<svg .*?</svg>)</div>', page, re.S
    )
    return dict(found)


def _svg_texts(drawing: str) -> list[str]:
    return re.findall(r"<text[^>]*>([^<]*)</text>", drawing)


def test_home_has_search_and_recent_scorings(advisor, app, demo_ids):
    advisor.get(f"/clients/{demo_ids['accepted']}")
    page = advisor.get("/").get_data(as_text=True)
    assert _one_h1(page) == "Find a client"
    assert '<label for="client_id">Application id (SK_ID_CURR)</label>' in page
    assert f'<a href="/clients/{demo_ids["accepted"]}">{demo_ids["accepted"]}</a>' in page
    assert "<td>Dashboard</td>" in page and '<td translate="no">advisor</td>' in page
    assert 'href="/applications/new"' in page


def test_find_redirects_to_client(advisor, demo_ids):
    response = advisor.get(f"/clients/find?client_id={demo_ids['refused']}")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/clients/{demo_ids['refused']}"


@pytest.mark.parametrize(
    ("query", "message"),
    [("abc", "Enter a number"), ("", "Enter an application id."), ("-4", "positive whole number")],
)
def test_find_with_bad_id_shows_form_error(advisor, query, message):
    response = advisor.get(f"/clients/find?client_id={query}")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'role="alert"' in page and message in page
    assert "<title>Error: Find a client · Prêt à dépenser</title>" in page


def test_unknown_client_is_a_404_page_with_search(advisor):
    response = advisor.get("/clients/1")
    page = response.get_data(as_text=True)
    assert response.status_code == 404
    assert _one_h1(page) == "No client with application id 1"
    assert 'role="search"' in page and 'action="/clients/find"' in page


def test_unknown_page_is_html_but_api_stays_json(advisor):
    response = advisor.get("/no-such-page")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert "<title>Page not found · Prêt à dépenser</title>" in response.get_data(as_text=True)
    api = advisor.get("/api/no-such-endpoint")
    assert api.status_code == 404 and api.mimetype == "application/json"


def test_client_page_explains_the_decision(advisor, app, demo_ids):
    client_id = demo_ids["refused"]
    response = advisor.get(f"/clients/{client_id}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert _one_h1(page) == f"Client {client_id}"
    assert f"<title>Client {client_id}: Refused · Prêt à dépenser</title>" in page
    assert '<p class="decision__label">Refused</p>' in page
    assert re.search(r"\d+\.\d points above the refusal threshold|exactly at the refusal", page)
    assert "Out of 100 clients with a profile like this one" in page
    assert "Raising the risk" in page and "Lowering the risk" in page
    assert f'href="/clients/{client_id}/what-would-change"' in page
    assert set(_charts(page)) == {"gauge", "distribution", "scatter"}
    assert page.count('role="img"') == 3
    assert "<script" not in page  # charts need no JavaScript
    logged = _predictions(app)[-1]
    assert (logged.source, logged.actor, logged.client_id) == ("page", "advisor", client_id)
    assert logged.decision == "refused"


def test_client_page_compares_with_similar_clients(advisor, app, demo_ids):
    client_id = demo_ids["accepted"]
    with app.app_context():
        application = db.session.get(Client, client_id).application
    query = (
        f"variable=AGE_YEARS&x=EXT_SOURCE_2&y=AMT_ANNUITY"
        f"&contract_type={application['NAME_CONTRACT_TYPE'].replace(' ', '+')}"
    )
    page = advisor.get(f"/clients/{client_id}?{query}").get_data(as_text=True)
    expected = f"clients with {application['NAME_CONTRACT_TYPE'].lower()}"
    assert f"Compared with <strong>{expected}</strong>" in page
    assert re.search(
        rf"This client&#39;s age in years \(\d+\) is higher than \d+% of {expected}", page
    )
    assert "Annuity against external score 2" in page
    scatter = _charts(page)["scatter"]
    assert "External score 2" in _svg_texts(scatter) and "Annuity" in _svg_texts(scatter)
    population = max(re.findall(r'<path d="([^"]+)"', scatter), key=len)
    assert 0 < population.count("M") <= 2000


def test_client_page_with_unknown_comparison_falls_back(advisor, demo_ids):
    response = advisor.get(f"/clients/{demo_ids['accepted']}?variable=PASSWORD")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Unknown comparison choice; the default comparison is shown instead." in page
    assert "Distribution of credit amount" in page


def test_what_if_form_is_prefilled(advisor, app, demo_ids):
    client_id = demo_ids["refused"]
    with app.app_context():
        application = db.session.get(Client, client_id).application
    page = advisor.get(f"/clients/{client_id}/what-if").get_data(as_text=True)
    credit = re.search(r'<input id="AMT_CREDIT"[^>]* value="([^"]*)"', page).group(1)
    assert float(credit) == application["AMT_CREDIT"]
    assert '<label for="age_years">Age in years</label>' in page


def _form_values(page: str) -> dict:
    values = dict(
        re.findall(r'<input id="[^"]+"[^>]* name="([A-Za-z_0-9]+)"[^>]* value="([^"]*)"', page)
    )
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.search(r'<option selected value="([^"]*)"', body)
        values[name] = chosen.group(1) if chosen else ""
    return values


def test_what_if_scores_changes_beside_original_and_logs_them(advisor, app, demo_ids):
    client_id = demo_ids["refused"]
    form = _form_values(advisor.get(f"/clients/{client_id}/what-if").get_data(as_text=True))
    form.update(EXT_SOURCE_1="0.9", EXT_SOURCE_2="0.9", EXT_SOURCE_3="0.9")
    before = len(_predictions(app))
    response = advisor.post(f"/clients/{client_id}/what-if", data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page[:2000]
    assert "Result of the changes" in page
    assert re.search(r"[+-]\d+\.\d points \((higher|lower) risk|same\)", page)
    logged = _predictions(app)
    assert len(logged) == before + 1
    assert (logged[-1].source, logged[-1].client_id) == ("whatif", client_id)
    assert logged[-1].input["EXT_SOURCE_2"] == 0.9
    with app.app_context():
        assert db.session.get(Client, client_id).application.get("EXT_SOURCE_2") != 0.9


def test_what_if_blank_field_means_missing(advisor, app, demo_ids):
    client_id = demo_ids["accepted"]
    form = _form_values(advisor.get(f"/clients/{client_id}/what-if").get_data(as_text=True))
    form["EXT_SOURCE_3"] = ""
    assert advisor.post(f"/clients/{client_id}/what-if", data=form).status_code == 200
    assert "EXT_SOURCE_3" not in _predictions(app)[-1].input


def test_what_if_bad_values_show_errors_beside_fields(advisor, app, demo_ids):
    client_id = demo_ids["refused"]
    form = _form_values(advisor.get(f"/clients/{client_id}/what-if").get_data(as_text=True))
    form.update(AMT_CREDIT="lots", EXT_SOURCE_1="2", age_years="12")
    before = len(_predictions(app))
    response = advisor.post(f"/clients/{client_id}/what-if", data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert '<div class="error-summary" role="alert"' in page
    assert (
        '<p class="field__error" id="AMT_CREDIT-error">Enter a number, for example 1250.5.</p>'
        in page
    )
    # Type errors come first; fix them and the API's range rules are reported, all at once.
    form["AMT_CREDIT"] = "500000"
    page = advisor.post(f"/clients/{client_id}/what-if", data=form).get_data(as_text=True)
    assert '<p class="field__error" id="EXT_SOURCE_1-error">Must be between 0 and 1.</p>' in page
    assert (
        '<p class="field__error" id="age_years-error">Must be between 18 and 100 years.</p>' in page
    )
    assert '<a href="#EXT_SOURCE_1">External score 1 (0 to 1): Must be between 0 and 1.</a>' in page
    assert len(_predictions(app)) == before


def test_what_would_change_for_refused_client(advisor, app, demo_ids):
    # CPU seconds of this process: the search's own cost. Wall-clock time also counted the
    # other jobs of a shared 2-core machine (1.06 s once, at load average 11).
    started = time.process_time()
    response = advisor.get(f"/clients/{demo_ids['refused']}/what-would-change")
    elapsed = time.process_time() - started
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert elapsed < 1.0
    assert "nothing about who the client is, such as age, gender or family, is ever changed" in page
    assert re.search(
        r"A credit of [\d,]+ instead of [\d,]+.*would be accepted|No smaller credit", page
    )
    assert page.count("If the client chose to") == 5


def test_what_would_change_for_accepted_client(advisor, demo_ids):
    page = advisor.get(f"/clients/{demo_ids['accepted']}/what-would-change").get_data(as_text=True)
    assert "This application is already accepted; nothing needs to change." in page


NEW_APPLICATION = {
    "NAME_CONTRACT_TYPE": "Cash loans",
    "AMT_CREDIT": "450000",
    "AMT_ANNUITY": "22000",
    "AMT_GOODS_PRICE": "400000",
    "AMT_INCOME_TOTAL": "150000",
    "age_years": "41",
    "employment_years": "6.5",
    "NAME_EDUCATION_TYPE": "Higher education",
    "EXT_SOURCE_2": "0.55",
}


def test_new_application_is_scored_and_logged(advisor, app):
    response = advisor.post("/applications/new", data=NEW_APPLICATION)
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page[:2000]
    assert re.search(r'<p class="decision__label">(Accepted|Refused)</p>', page)
    logged = _predictions(app)[-1]
    # A new application is a real scoring (drift counts it), not a page re-view.
    assert logged.source == "application" and logged.client_id is None
    assert logged.input["DAYS_BIRTH"] == -round(41 * 365.25)
    assert logged.input["DAYS_EMPLOYED"] == -round(6.5 * 365.25)


def test_new_application_can_be_saved_as_client(advisor, app):
    response = advisor.post("/applications/new", data={**NEW_APPLICATION, "save_as_client": "y"})
    page = response.get_data(as_text=True)
    client_id = int(re.search(r"Application saved as client (\d+)\.", page).group(1))
    assert client_id >= 900_000_000
    assert advisor.get(f"/clients/{client_id}").status_code == 200
    with app.app_context():
        stored = db.session.get(Client, client_id)
        assert stored.is_training is False and stored.application["AMT_CREDIT"] == 450000.0


def test_new_application_rejects_bad_input(advisor, app):
    data = {**NEW_APPLICATION, "NAME_CONTRACT_TYPE": "Mortgage", "AMT_ANNUITY": "-5"}
    response = advisor.post("/applications/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Not a valid choice" in page
    data["NAME_CONTRACT_TYPE"] = "Cash loans"
    page = advisor.post("/applications/new", data=data).get_data(as_text=True)
    expected = "Must be between 1 and 1,000,000,000."  # amounts are bounded (issue 10)
    assert f'<p class="field__error" id="AMT_ANNUITY-error">{expected}</p>' in page


def test_model_page_shows_report(advisor):
    page = advisor.get("/model").get_data(as_text=True)
    assert _one_h1(page) == "The scoring model"
    assert set(_charts(page)) == {"importance", "cost-curve", "calibration"}
    assert "Default rate, refusal rate and AUC by group" in page
    assert "<td>Gender</td>" in page and "<td>Age band</td>" in page
    assert re.search(r"Chosen threshold \d+\.\d%", page)


def test_pages_say_when_no_model_is_loaded(tmp_path, make_app, demo_ids):
    from app.services import model_store
    from tests.helpers import ADVISOR, PASSWORD

    missing = str(tmp_path / "no-model-here")
    app = make_app(MODEL_URI=missing, MLFLOW_TRACKING_URI=None)
    client = app.test_client()
    client.post("/auth/sign-in", data={"username": ADVISOR, "password": PASSWORD})
    try:
        response = client.get(f"/clients/{demo_ids['accepted']}")
        page = response.get_data(as_text=True)
        assert response.status_code == 503
        assert "Scoring is unavailable right now: no model is loaded." in page
        assert client.get("/").status_code == 200  # the rest of the dashboard still works
    finally:
        model_store.forget()
