"""POST /api/decisions and GET /api/performance: statuses, the error shape, nothing half-written."""

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from app.models import Client, Decision, Prediction
from tests.helpers import assert_error


@pytest.fixture
def headers(api_key):
    return {"X-API-Key": api_key}


@pytest.fixture
def scored(client, headers, db):
    """A logged scoring of a stored client, as /api/predict answers it."""
    query = sa.select(Client.sk_id_curr).where(Client.is_training.is_(False))
    client_id = db.session.scalars(query.order_by(Client.sk_id_curr)).first()
    answer = client.post("/api/predict", json={"client_id": client_id}, headers=headers)
    assert answer.status_code == 200
    return answer.get_json()


def _other(decision: str) -> str:
    return "accepted" if decision == "refused" else "refused"


def _count(db) -> int:
    db.session.remove()
    return db.session.scalar(sa.select(sa.func.count()).select_from(Decision))


def test_following_the_model_is_recorded_with_the_key_name(client, headers, scored, db):
    body = {"prediction_id": scored["prediction_id"], "final_decision": scored["decision"]}
    response = client.post("/api/decisions", json=body, headers=headers)
    assert response.status_code == 201
    decision = response.get_json()
    assert set(decision) == {
        "id", "prediction_id", "client_id", "advisor", "model_decision", "final_decision",
        "overridden", "reason", "comment", "created_at", "probability_of_default", "threshold",
        "model",
    }  # fmt: skip
    assert decision["advisor"] == "tests"  # the API key's name is the actor
    assert (decision["client_id"], decision["overridden"], decision["reason"]) == (
        scored["client_id"], False, None,
    )  # fmt: skip
    assert decision["probability_of_default"] == scored["probability_of_default"]
    assert decision["model"] == scored["model"]
    stored = db.session.get(Decision, decision["id"])
    assert (stored.prediction_id, stored.final_decision) == (
        scored["prediction_id"], scored["decision"],
    )  # fmt: skip


def test_an_override_with_reason_and_comment(client, headers, scored, db):
    final = _other(scored["decision"])
    reason = "guarantor" if final == "accepted" else "fraud_suspicion"
    body = {
        "prediction_id": scored["prediction_id"],
        "final_decision": final,
        "reason": reason,
        "comment": "  Checked by the branch.  ",
    }
    response = client.post("/api/decisions", json=body, headers=headers)
    assert response.status_code == 201
    decision = response.get_json()
    assert (decision["overridden"], decision["reason"], decision["comment"]) == (
        True, reason, "Checked by the branch.",
    )  # fmt: skip
    assert decision["model_decision"] == scored["decision"]


def test_unknown_prediction_is_a_404_and_nothing_is_written(client, headers, db):
    body = {"prediction_id": 987654, "final_decision": "accepted"}
    response = client.post("/api/decisions", json=body, headers=headers)
    error = assert_error(response, 404, "prediction_not_found")
    assert error["details"] == {"prediction_id": 987654}
    assert _count(db) == 0


def test_missing_reason_on_an_override_is_a_422(client, headers, scored, db):
    body = {"prediction_id": scored["prediction_id"], "final_decision": _other(scored["decision"])}
    response = client.post("/api/decisions", json=body, headers=headers)
    error = assert_error(response, 422, "missing_reason", "reason")
    assert "is required to override" in error["message"]
    assert _count(db) == 0


@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        ({"final_decision": "maybe"}, "invalid_value", "final_decision"),
        ({"final_decision": None}, "invalid_value", "final_decision"),
        ({"reason": "friend of the manager"}, "invalid_value", "reason"),
        ({"reason": 3}, "invalid_type", "reason"),
        ({"reason": "guarantor"}, "invalid_value", "reason"),  # a reason when following
        ({"comment": 12}, "invalid_type", "comment"),
        ({"comment": "x" * 1001}, "invalid_value", "comment"),
        ({"prediction_id": "12"}, "invalid_type", "prediction_id"),
        ({"prediction_id": True}, "invalid_type", "prediction_id"),
        ({"prediction_id": -1}, "invalid_type", "prediction_id"),
        ({"prediction_id": 2**40}, "invalid_type", "prediction_id"),
        ({"advisor": "someone else"}, "unknown_field", "advisor"),
    ],
)
def test_bad_values_are_422_in_the_error_shape(client, headers, scored, db, change, code, field):
    body = {"prediction_id": scored["prediction_id"], "final_decision": scored["decision"]}
    response = client.post("/api/decisions", json={**body, **change}, headers=headers)
    assert_error(response, 422, code, field)
    assert _count(db) == 0


@pytest.mark.parametrize("missing", ["prediction_id", "final_decision"])
def test_missing_fields_are_named(client, headers, scored, db, missing):
    body = {"prediction_id": scored["prediction_id"], "final_decision": scored["decision"]}
    body.pop(missing)
    assert_error(client.post("/api/decisions", json=body, headers=headers), 422, "missing_field")
    assert _count(db) == 0


def test_other_needs_a_comment_and_fits_either_direction(client, headers, scored, db):
    body = {
        "prediction_id": scored["prediction_id"],
        "final_decision": _other(scored["decision"]),
        "reason": "other",
    }
    response = client.post("/api/decisions", json=body, headers=headers)
    assert_error(response, 422, "missing_comment", "comment")
    assert _count(db) == 0
    body["comment"] = "Long-standing client of the branch."
    assert client.post("/api/decisions", json=body, headers=headers).status_code == 201


def test_a_reason_that_justifies_the_other_direction_is_refused(client, headers, scored, db):
    final = _other(scored["decision"])
    wrong = "fraud_suspicion" if final == "accepted" else "guarantor"
    body = {"prediction_id": scored["prediction_id"], "final_decision": final, "reason": wrong}
    response = client.post("/api/decisions", json=body, headers=headers)
    error = assert_error(response, 422, "invalid_value", "reason")
    assert "can only justify a final decision" in error["message"]


def test_a_what_if_scoring_cannot_be_decided(client, headers, app, db):
    from app.services import scoring

    query = sa.select(Client).where(Client.is_training.is_(False)).limit(1)
    stored = db.session.scalars(query).first()
    what_if = scoring.score_what_if(dict(stored.application), stored.sk_id_curr, "advisor")
    body = {"prediction_id": what_if.prediction_id, "final_decision": what_if.decision}
    response = client.post("/api/decisions", json=body, headers=headers)
    assert_error(response, 422, "invalid_value", "prediction_id")
    assert _count(db) == 0


def test_transport_errors_keep_the_shape(client, headers, scored, db):
    body = {"prediction_id": scored["prediction_id"], "final_decision": scored["decision"]}
    assert_error(client.post("/api/decisions", json=body), 401, "unauthorized")
    raw = client.post("/api/decisions", data="{", headers=headers, content_type="application/json")
    assert_error(raw, 400, "malformed_json")
    text = client.post("/api/decisions", data="x", headers=headers, content_type="text/plain")
    assert_error(text, 415, "unsupported_media_type")
    assert_error(client.post("/api/decisions", json=[body], headers=headers), 422, "invalid_type")
    assert_error(client.get("/api/decisions", headers=headers), 405, "method_not_allowed")
    assert _count(db) == 0


def test_the_database_refuses_an_inconsistent_row(db, scored):
    """The table's checks hold even for a write that skips the service."""
    prediction = db.session.get(Prediction, scored["prediction_id"])
    row = Decision(
        prediction_id=prediction.id,
        client_id=prediction.client_id,
        advisor="script",
        model_decision=prediction.decision,
        final_decision=_other(prediction.decision),
        overridden=True,
        reason=None,  # an override without a reason
    )
    db.session.add(row)
    with pytest.raises(IntegrityError, match="ck_decisions_override_reason"):
        db.session.commit()
    db.session.rollback()


def test_performance_is_a_404_before_any_run(client, headers):
    response = client.get("/api/performance", headers=headers)
    error = assert_error(response, 404, "no_performance_run")
    assert "flask performance run" in error["message"]
    assert_error(client.get("/api/performance"), 401, "unauthorized")


def test_openapi_documents_both_endpoints_and_their_statuses(client):
    spec = client.get("/api/openapi.json").get_json()
    post = spec["paths"]["/api/decisions"]["post"]
    assert set(post["responses"]) >= {"201", "400", "401", "404", "415", "422", "503"}
    assert post["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/DecisionRequest"
    }
    request = spec["components"]["schemas"]["DecisionRequest"]
    assert request["required"] == ["prediction_id", "final_decision"]
    assert request["properties"]["reason"]["enum"] == [
        "documents_verified", "income_proven_higher", "guarantor", "fraud_suspicion", "other",
        None,  # OpenAPI 3.1 (JSON Schema): absent or null when the model is followed
    ]  # fmt: skip
    get = spec["paths"]["/api/performance"]["get"]
    assert set(get["responses"]) >= {"200", "401", "404"}
    run = spec["components"]["schemas"]["PerformanceRun"]
    assert set(run["required"]) == {
        "n_labelled", "auc", "business_cost", "default_rate_accepted", "override_rate",
        "overrides", "calibration", "by_month", "created_at", "model_version",
    }  # fmt: skip
