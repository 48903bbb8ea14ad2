"""The API console (/api/console): every operation of the OpenAPI document with its examples,
each call sent through the real API (key, validation, rate limits, prediction log)."""

import html
import json
import logging
import re
import subprocess
import sys

import requests
import sqlalchemy as sa

from app.api.openapi import openapi_document
from tests.playwright_fixtures import served

PREDICT_BODY = openapi_document()["paths"]["/api/predict"]["post"]["requestBody"]["content"][
    "application/json"
]
EXAMPLES = {name: e["value"] for name, e in PREDICT_BODY["examples"].items()}
REFUSED = {name: e["value"] for name, e in PREDICT_BODY["x-refused-examples"].items()}


def send(client, operation, api_key, body=None, accept="text/html", **params):
    """Submit one operation's console form as the page does (no JavaScript unless `accept`)."""
    data = {"operation": operation, "api_key": api_key}
    if body is not None:
        data["body"] = body if isinstance(body, str) else json.dumps(body)
    data.update({f"param-{name}": value for name, value in params.items()})
    return client.post("/api/console", data=data, headers={"Accept": accept})


def answer(page: str, operation: str) -> dict:
    """The answer region of `operation` on a console page: status, headers, body (JSON)."""
    start = page.index(f'id="answer-{operation}"')
    region = page[start : page.index("<details", start)]
    status = re.search(r'console-status[^>]*>.*?<span translate="no">([^<]+)</span>', region, re.S)
    headers = re.findall(r"<tr><td><code>([^<]+)</code></td><td><code>([^<]*)</code>", region)
    body = re.search(
        r"<pre class=\"console-code\" lang=\"en\"><code>(.*?)</code></pre>", region, re.S
    )
    return {
        "status": status.group(1) if status else None,
        "headers": dict(headers),
        "body": json.loads(html.unescape(body.group(1))) if body else None,
        "region": region,
    }


def logged(app, request_id=None) -> list:
    """(source, actor) of the prediction log's rows, for one request id or all."""
    from app.extensions import db
    from app.models import Prediction

    query = sa.select(Prediction.source, Prediction.actor)
    if request_id is not None:
        query = query.where(Prediction.request_id == request_id)
    with app.app_context():
        return [tuple(row) for row in db.session.execute(query)]


def test_every_operation_of_the_document_is_on_the_public_console(anonymous):
    page = anonymous.get("/api/console")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    documented = [
        (method.upper(), path, operation)
        for path, methods in openapi_document()["paths"].items()
        for method, operation in methods.items()
    ]
    assert len(documented) == 7
    for method, path, operation in documented:
        op_id = operation["operationId"]
        assert f'<section class="console-operation" id="console-{op_id}"' in text
        assert f'<input type="hidden" name="operation" value="{op_id}">' in text
        assert f"{method} <code>{path}</code>" in text
        # A key field where the document asks for a key, none where the operation is public.
        assert (f'type="password" id="{op_id}-key"' in text) is bool(operation.get("security"))
    offered = re.findall(
        r'<option value="([a-z_]+)" lang="en"', text.split('id="predict-example"')[1]
    )
    assert offered[:4] == [*EXAMPLES, *REFUSED]  # stored, raw, batch, then the refused one
    assert set(EXAMPLES) == {"stored_client", "raw_application", "batch"}


def test_an_example_fills_the_body_without_javascript(anonymous):
    page = anonymous.get("/api/console?operation=predict&example=raw_application")
    text = page.get_data(as_text=True)
    body = re.search(r'<textarea id="predict-body"[^>]*>(.*?)</textarea>', text, re.S).group(1)
    assert json.loads(html.unescape(body)) == EXAMPLES["raw_application"]
    assert '<input type="hidden" name="example" value="raw_application">' in text
    # The other operations keep their own first example.
    decisions = re.search(r'<textarea id="recordDecision-body"[^>]*>(.*?)</textarea>', text, re.S)
    assert json.loads(html.unescape(decisions.group(1)))["final_decision"] == "refused"


def test_the_raw_application_example_is_scored_and_logged_as_the_console(app, anonymous, api_key):
    response = send(anonymous, "predict", api_key, EXAMPLES["raw_application"])
    assert response.status_code == 200
    shown = answer(response.get_data(as_text=True), "predict")
    assert shown["status"] == "200 OK"
    assert 0 <= shown["body"]["probability_of_default"] <= 1
    assert shown["body"]["decision"] in ("accepted", "refused")
    assert shown["body"]["reasons"] and all(r["text"] for r in shown["body"]["reasons"])
    # The prediction log has the call under its own source, with the key's name as the actor.
    assert logged(app, shown["headers"]["X-Request-ID"]) == [("console", "tests")]


def test_the_stored_client_and_batch_examples_answer_like_the_api(app, anonymous, api_key):
    stored = answer(send(anonymous, "predict", api_key, EXAMPLES["stored_client"]).text, "predict")
    assert stored["status"] == "200 OK" and stored["body"]["client_id"] == 100002
    batch = send(anonymous, "predict", api_key, EXAMPLES["batch"])
    shown = answer(batch.get_data(as_text=True), "predict")
    assert [p["client_id"] for p in shown["body"]["predictions"]] == EXAMPLES["batch"]["client_ids"]
    assert logged(app, shown["headers"]["X-Request-ID"]) == [("console", "tests")] * 3


def test_the_invalid_example_shows_the_422_naming_the_field(app, anonymous, api_key):
    before = len(logged(app))
    response = send(anonymous, "predict", api_key, REFUSED["invalid_application"])
    assert response.status_code == 200  # the page worked; the API refused the body
    shown = answer(response.get_data(as_text=True), "predict")
    assert shown["status"] == "422 Unprocessable Entity"
    assert shown["body"]["error"]["code"] == "invalid_value"
    assert shown["body"]["error"]["details"]["field"] == "AMT_INCOME_TOTAL"
    assert len(logged(app)) == before


def test_a_body_that_is_not_json_gets_the_apis_own_400(anonymous, api_key):
    shown = answer(send(anonymous, "predict", api_key, '{"client_id": 100002').text, "predict")
    assert shown["status"] == "400 Bad Request"
    assert set(shown["body"]["error"]) == {"code", "message", "details"}


def test_a_wrong_key_gets_the_401_and_no_key_is_kept_anywhere(app, anonymous, api_key, caplog):
    caplog.set_level(logging.DEBUG)
    wrong = "wrong-" + api_key[::-1]
    refused = send(anonymous, "predict", wrong, EXAMPLES["stored_client"])
    shown = answer(refused.get_data(as_text=True), "predict")
    assert shown["status"] == "401 Unauthorized"
    assert shown["body"]["error"]["code"] == "unauthorized"
    accepted = send(anonymous, "getClient", api_key, client_id="100002")
    assert answer(accepted.get_data(as_text=True), "getClient")["status"] == "200 OK"
    for key in (wrong, api_key):
        for response in (refused, accepted):
            assert key not in response.get_data(as_text=True)  # not written back in the page
            assert key not in str(response.headers)
        assert key not in caplog.text
        with anonymous.session_transaction() as session:
            assert key not in json.dumps(dict(session), default=str)
        assert key not in database_text(app)


def database_text(app) -> str:
    """Every row of every table, as text."""
    from app.extensions import db

    with app.app_context():
        return "\n".join(
            str(tuple(row))
            for table in db.metadata.sorted_tables
            for row in db.session.execute(sa.select(table))
        )


def test_fetch_gets_the_answer_to_put_in_place_and_a_line_to_announce(anonymous, api_key):
    response = send(anonymous, "getModel", "", accept="application/json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    shown = response.get_json()
    assert set(shown) == {"summary", "html"}
    assert re.fullmatch(r"Answer: 200 OK in [\d.,]+ ms\.", shown["summary"])
    assert "<html" not in shown["html"]
    body = re.search(r'<pre class="console-code" lang="en"><code>(.*?)</code>', shown["html"], re.S)
    model = json.loads(html.unescape(body.group(1)))
    assert model == anonymous.get("/api/model").get_json()


def test_console_calls_meet_the_keys_rate_limit(make_app):
    from app.auth.api_keys import create_key

    app = make_app(RATELIMIT_ENABLED=True)
    with app.app_context():
        key = create_key("small", rate="2 per minute")
    client = app.test_client()
    first = answer(send(client, "predict", key, EXAMPLES["stored_client"]).text, "predict")
    assert first["status"] == "200 OK"
    assert first["headers"]["X-RateLimit-Limit"] == "2"
    assert first["headers"]["X-RateLimit-Remaining"] == "1"
    batch = answer(send(client, "predict", key, EXAMPLES["batch"]).text, "predict")
    assert batch["status"] == "429 Too Many Requests"  # a batch of 3 counts 3 calls
    assert int(batch["headers"]["Retry-After"]) >= 1
    assert logged(app) == [("console", "small")]  # the refused batch scored nothing


def test_the_console_form_needs_its_csrf_token(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    forged = send(client, "getModel", "")
    assert forged.status_code == 400 and forged.mimetype == "text/html"  # a page, not JSON
    assert "The form expired" in forged.get_data(as_text=True)
    page = client.get("/api/console").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    sent = client.post("/api/console", data={"operation": "getModel", "csrf_token": token})
    assert answer(sent.get_data(as_text=True), "getModel")["status"] == "200 OK"


def test_a_path_parameter_cannot_leave_its_segment(app, anonymous, api_key):
    for typed in ("../model", "100002/../../model", "", "1" * 13):
        response = send(anonymous, "getClient", api_key, client_id=typed)
        assert response.status_code == 400
        text = response.get_data(as_text=True)
        assert answer(text, "getClient")["status"] is None  # nothing was sent
        assert 'href="#getClient-client_id">client_id: enter a whole number.' in text
        assert 'id="getClient-client_id" name="param-client_id"' in text
        assert 'aria-invalid="true" aria-describedby="getClient-client_id-error"' in text
    shown = answer(send(anonymous, "getClient", api_key, client_id="100002").text, "getClient")
    assert shown["status"] == "200 OK" and shown["body"]["client_id"] == 100002


def test_an_unknown_operation_is_a_bad_request_page(anonymous):
    response = send(anonymous, "deleteEverything", "")
    assert response.status_code == 400 and response.mimetype == "text/html"
    assert "Bad request" in response.get_data(as_text=True)


def test_the_snippets_work_as_written(app, api_key):
    """The curl and Python equivalents of the raw-application example, run against a server."""
    with served(app) as base_url:
        page = requests.get(f"{base_url}/api/console?operation=predict", timeout=30).text
        snippets = re.search(
            r'data-console-snippets="predict/raw_application"(.*?)</div>', page, re.S
        )
        curl, python = (
            html.unescape(code)
            for code in re.findall(
                r'<pre class="console-code" lang="en"><code>(.*?)</code>', snippets.group(1), re.S
            )
        )
        assert "$API_KEY" in curl and 'os.environ["API_KEY"]' in python  # placeholders only
        assert api_key not in curl + python
        environment = {"API_KEY": api_key, "PATH": "/usr/bin:/bin"}
        ran = subprocess.run(["bash", "-c", curl], env=environment, capture_output=True, timeout=60)
        assert 0 <= json.loads(ran.stdout)["probability_of_default"] <= 1, ran.stderr
        ran = subprocess.run(
            [sys.executable, "-c", python], env=environment, capture_output=True, timeout=60
        )
        first_line = ran.stdout.decode().splitlines()[0]
        assert first_line.startswith("200 "), ran.stderr.decode()
    assert logged(app) == [
        ("api", "tests"),
        ("api", "tests"),
    ]  # a client's calls, not the console's


def test_the_console_is_linked_from_the_docs_and_the_advisors_header(advisor, anonymous):
    docs = anonymous.get("/api/docs").get_data(as_text=True)
    assert 'href="/api/console"' in docs
    home = advisor.get("/").get_data(as_text=True)
    assert '<a href="/api/console">API console</a>' in home
    public = anonymous.get("/api/console").get_data(as_text=True)
    assert 'aria-label="Main"' not in public  # public page: no advisor navigation
    assert "<h1>API console</h1>" in public


def test_the_console_speaks_the_page_language_and_the_json_stays_english(anonymous, api_key):
    page = anonymous.get("/api/console", headers={"Accept-Language": "fr"})
    text = page.get_data(as_text=True)
    assert '<html lang="fr">' in text and "<h1>Console de l’API</h1>" in text
    assert '<span lang="en">Score one or many applications' in text  # the document's words
    sent = anonymous.post(
        "/api/console",
        data={
            "operation": "predict",
            "api_key": api_key,
            "body": json.dumps(REFUSED["invalid_application"]),
        },
        headers={"Accept-Language": "fr"},
    )
    shown = answer(sent.get_data(as_text=True), "predict")
    assert shown["body"]["error"]["message"].startswith("Field 'AMT_INCOME_TOTAL' must be")
    assert "Réponse à POST /api/predict" in shown["region"]


def test_behind_the_https_proxy_a_call_keeps_the_callers_scheme_and_address(make_app):
    """Production: ProxyFix reads X-Forwarded-*, plain HTTP is redirected. A console call must
    reach the API as the same HTTPS client, not be redirected or charged to the proxy."""
    app = make_app(
        FORCE_HTTPS=True, PROXY_FIX_X_FOR=1, RATELIMIT_ENABLED=True, RATELIMIT_API="3 per minute"
    )
    client = app.test_client()
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    sent = client.post(
        "/api/console",
        data={"operation": "getModel"},
        headers=forwarded,
        base_url="http://bank.example",
    )
    assert sent.status_code == 200
    shown = answer(sent.get_data(as_text=True), "getModel")
    assert shown["status"] == "200 OK"  # not a 308 to https://
    assert sent.headers["Strict-Transport-Security"].startswith("max-age=")
    # The page and the call share the caller's address bucket (3 per minute): 2 spent here.
    assert shown["headers"]["X-RateLimit-Remaining"] == "1"
    other = {**forwarded, "X-Forwarded-For": "198.51.100.7"}
    fresh = client.post(
        "/api/console",
        data={"operation": "getModel"},
        headers=other,
        base_url="http://bank.example",
    )
    assert (
        answer(fresh.get_data(as_text=True), "getModel")["headers"]["X-RateLimit-Remaining"] == "1"
    )
