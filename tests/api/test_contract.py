"""Contract of /api: every status code and the one error shape."""

import json

import pytest
import sqlalchemy as sa

from app.models import Client, Prediction
from tests.helpers import GOOD_APPLICATION, assert_error


@pytest.fixture
def headers(api_key):
    return {"X-API-Key": api_key}


@pytest.fixture
def known_client_id(db):
    query = (
        sa.select(Client.sk_id_curr)
        .where(Client.is_training.is_(False))
        .order_by(Client.sk_id_curr)
    )
    return db.session.scalars(query.order_by(Client.sk_id_curr)).first()


def predict(client, headers, body):
    return client.post("/api/predict", json=body, headers=headers)


def assert_prediction(item, client_id=None):
    assert set(item) == {
        "prediction_id",
        "client_id",
        "probability_of_default",
        "decision",
        "threshold",
        "distance_to_threshold",
        "reasons",
        "model",
        "warnings",
    }
    assert isinstance(item["prediction_id"], int)
    assert item["client_id"] == client_id
    assert 0.0 <= item["probability_of_default"] <= 1.0
    expected = "refused" if item["probability_of_default"] >= item["threshold"] else "accepted"
    assert item["decision"] == expected
    distance = item["probability_of_default"] - item["threshold"]
    assert item["distance_to_threshold"] == pytest.approx(distance, abs=2e-6)
    assert item["model"]["name"] and item["model"]["version"]
    for reason in item["reasons"]:
        assert reason["direction"] == ("raises" if reason["contribution"] > 0 else "lowers")
        assert {"group", "label", "direction", "contribution"} <= set(reason)


def test_predict_known_client(client, headers, known_client_id, db):
    response = predict(client, headers, {"client_id": known_client_id})
    assert response.status_code == 200
    body = response.get_json()
    assert_prediction(body, known_client_id)
    row = db.session.get(Prediction, body["prediction_id"])
    assert (row.source, row.actor, row.client_id) == ("api", "tests", known_client_id)
    assert row.probability_of_default == pytest.approx(body["probability_of_default"], abs=1e-6)
    assert row.request_id == response.headers["X-Request-ID"]


def test_predict_raw_application_warns_about_missing_fields(client, headers):
    response = predict(client, headers, {"application": GOOD_APPLICATION})
    assert response.status_code == 200
    body = response.get_json()
    assert_prediction(body)
    assert len(body["warnings"]) == 1 and "treated as missing" in body["warnings"][0]


def test_raw_fields_of_a_stored_client_say_its_history_is_not_used(
    client, headers, known_client_id
):
    application = dict(GOOD_APPLICATION, SK_ID_CURR=known_client_id)
    for body in ({"application": application}, {"applications": [application, GOOD_APPLICATION]}):
        answer = predict(client, headers, body).get_json()
        first = answer["predictions"][0] if "predictions" in answer else answer
        assert first["client_id"] == known_client_id
        assert first["warnings"][-1] == (
            f"SK_ID_CURR {known_client_id} is a client of the store, but raw fields are scored "
            f'without its credit history; send {{"client_id": {known_client_id}}} to use it.'
        )
        if "predictions" in answer:
            assert not any("client of the store" in w for w in answer["predictions"][1]["warnings"])


def test_batch_answers_in_input_order_and_logs_every_item(client, headers, db, known_client_id):
    applications = [dict(GOOD_APPLICATION, SK_ID_CURR=i, EXT_SOURCE_2=i / 10) for i in range(1, 6)]
    response = predict(client, headers, {"applications": applications})
    assert response.status_code == 200
    predictions = response.get_json()["predictions"]
    assert [p["client_id"] for p in predictions] == [1, 2, 3, 4, 5]
    rows = db.session.scalars(sa.select(Prediction).where(Prediction.source == "batch")).all()
    assert sorted(r.id for r in rows) == sorted(p["prediction_id"] for p in predictions)
    by_ids = predict(client, headers, {"client_ids": [known_client_id, known_client_id]})
    assert [p["client_id"] for p in by_ids.get_json()["predictions"]] == [known_client_id] * 2


def test_same_input_same_score_from_single_and_batch(client, headers):
    single = predict(client, headers, {"application": GOOD_APPLICATION}).get_json()
    batch = predict(client, headers, {"applications": [GOOD_APPLICATION]}).get_json()
    assert batch["predictions"][0]["probability_of_default"] == single["probability_of_default"]
    assert batch["predictions"][0]["reasons"] == single["reasons"]


def one(**changes):
    """A /api/predict body with GOOD_APPLICATION changed."""
    return {"application": dict(GOOD_APPLICATION, **changes)}


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        (one(SALARY=1), "unknown_field", "SALARY"),
        ({"applications": [GOOD_APPLICATION, {"FOO": 1}]}, "unknown_field", "FOO"),
        ({"client": 1}, "unknown_field", "client"),
        (
            one(AMT_INCOME_TOTAL=-5),
            "invalid_value",
            "AMT_INCOME_TOTAL",
        ),
        (one(DAYS_BIRTH=-1000), "invalid_value", "DAYS_BIRTH"),
        (
            one(DAYS_REGISTRATION=5),
            "invalid_value",
            "DAYS_REGISTRATION",
        ),
        (
            one(NAME_HOUSING_TYPE="Castle"),
            "invalid_value",
            "NAME_HOUSING_TYPE",
        ),
        (one(EXT_SOURCE_3=7), "invalid_value", "EXT_SOURCE_3"),
        (one(AMT_CREDIT="1000"), "invalid_value", "AMT_CREDIT"),
        ({"application": [1, 2]}, "invalid_type", "application"),
        ({"client_id": "100002"}, "invalid_value", "client_id"),
        ({"client_ids": []}, "invalid_type", "client_ids"),
    ],
)
def test_bad_input_is_422_naming_the_field(client, headers, db, body, code, field):
    before = db.session.scalar(sa.select(sa.func.count(Prediction.id)))
    assert_error(predict(client, headers, body), 422, code, field)
    assert db.session.scalar(sa.select(sa.func.count(Prediction.id))) == before


def test_body_must_use_exactly_one_form(client, headers):
    error = assert_error(
        predict(client, headers, {"client_id": 1, "application": {}}), 422, "invalid_body"
    )
    assert error["details"] == {"fields": ["application", "client_id"]}
    assert_error(predict(client, headers, []), 422, "invalid_type", "body")


def test_unknown_client_is_404(client, headers):
    error = assert_error(
        predict(client, headers, {"client_id": 999999999}), 404, "client_not_found"
    )
    assert error["details"] == {"client_ids": [999999999]}
    assert_error(client.get("/api/clients/999999999", headers=headers), 404, "client_not_found")


def test_not_json_is_415_and_malformed_json_is_400(client, headers):
    response = client.post("/api/predict", data="client_id=1", headers=headers)
    assert_error(response, 415, "unsupported_media_type")
    for text in ('{"client_id": ', '{"client_id": NaN}', "\xff"):
        response = client.post(
            "/api/predict", data=text, content_type="application/json", headers=headers
        )
        assert_error(response, 400, "malformed_json")


def test_over_size_limit_and_over_batch_limit_are_413(app, client, headers):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    big = json.dumps({"applications": [GOOD_APPLICATION] * 3})
    response = client.post(
        "/api/predict", data=big, content_type="application/json", headers=headers
    )
    assert_error(response, 413, "payload_too_large")
    app.config["MAX_CONTENT_LENGTH"] = 8 * 1024 * 1024
    error = assert_error(
        predict(client, headers, {"client_ids": [1] * 1001}), 413, "batch_too_large"
    )
    assert error["details"] == {"field": "client_ids", "limit": 1000}


@pytest.mark.parametrize("key", [None, "wrong-key"])
def test_missing_or_wrong_api_key_is_401(client, known_client_id, key):
    headers = {} if key is None else {"X-API-Key": key}
    assert_error(predict(client, headers, {"client_id": known_client_id}), 401, "unauthorized")
    assert_error(
        client.get(f"/api/clients/{known_client_id}", headers=headers), 401, "unauthorized"
    )


def test_revoked_key_is_401(client, runner, headers, known_client_id):
    result = runner.invoke(args=["api-keys", "revoke", "tests"])
    assert result.exit_code == 0 and "revoked" in result.output
    assert_error(predict(client, headers, {"client_id": known_client_id}), 401, "unauthorized")


def test_unknown_route_and_wrong_method_are_json(client):
    assert_error(client.get("/api/nope"), 404, "not_found")
    assert_error(client.get("/api/predict"), 405, "method_not_allowed")


def test_client_lookup_returns_data_and_latest_score(client, headers, known_client_id):
    first = client.get(f"/api/clients/{known_client_id}", headers=headers).get_json()
    assert first["client_id"] == known_client_id
    assert first["latest_score"] is None
    assert "TARGET" not in first["application"] and first["application"]["AMT_CREDIT"] > 0
    scored = predict(client, headers, {"client_id": known_client_id}).get_json()
    latest = client.get(f"/api/clients/{known_client_id}", headers=headers).get_json()[
        "latest_score"
    ]
    assert latest["prediction_id"] == scored["prediction_id"]
    assert latest["created_at"].endswith("+00:00")
    assert latest["probability_of_default"] == scored["probability_of_default"]


def test_model_health_openapi_and_docs_are_public(client):
    model = client.get("/api/model")
    assert model.status_code == 200
    description = model.get_json()
    assert {"name", "version", "threshold", "metrics", "features", "trained_at"} <= set(description)
    assert 0 < description["threshold"] < 1
    assert "CODE_GENDER" not in description["features"]
    health = client.get("/api/health")
    assert health.status_code == 200
    assert health.get_json()["status"] == "ok"
    spec = client.get("/api/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    assert "/api/predict" in spec["paths"]
    docs = client.get("/api/docs")
    assert docs.status_code == 200 and docs.mimetype == "text/html"
    page = docs.get_data(as_text=True)
    assert "<title>API documentation" in page and "/api/predict" in page
    assert "http://" not in page and "https://" not in page  # no CDN: everything local
