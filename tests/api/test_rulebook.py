"""One rulebook: the validator and /api/openapi.json agree on every value; the bounds keep every
feature finite; the document lists every status each operation answers, with exact schemas.
"""

import math

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from app.api.openapi import openapi_document
from app.errors import InvalidInputError
from app.models import Prediction
from app.services import model_store
from app.services.validation import APPLICATION_COLUMNS, RULES, validate_application
from tests.api.contract_tools import assert_answer_documented
from tests.helpers import GOOD_APPLICATION, assert_error
from tests.real_sample import REAL_SAMPLE

FLOAT32_MAX = float(np.finfo(np.float32).max)


def accepted(name: str, value) -> bool:
    try:
        RULES[name].check(name, value)
    except InvalidInputError:
        return False
    return True


def schema_accepts(name: str, value) -> bool:
    return Draft202012Validator(RULES[name].json_schema(name)).is_valid(value)


def edges(rule) -> list:
    """The values where a validator and a schema most easily disagree."""
    if rule.kind == "category":
        return [rule.levels[0], rule.levels[-1] + " ", ""]
    low, high = rule.minimum, rule.maximum
    values = [low, high, low - 1, high + 1, low - 1e-9, high + 1e-9, float(low), float(high)]
    values += [low + 0.5, high - 0.5, 10**400, -(10**400), math.inf, -math.inf, 1e39, 4424]
    return values + ([rule.also_allowed, rule.also_allowed + 1] if rule.also_allowed else [])


JSON_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.floats(allow_nan=False),
    st.text(max_size=30),
    st.sampled_from([level for rule in RULES.values() for level in rule.levels]),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


@pytest.mark.parametrize("name", list(RULES))
def test_validator_and_schema_agree_at_the_edges(name):
    rule = RULES[name]
    for value in [None, True, "1", [], {}, *edges(rule)]:
        assert accepted(name, value) == schema_accepts(name, value), (name, value)


@settings(max_examples=600, deadline=None)
@given(name=st.sampled_from(list(RULES)), value=JSON_VALUES)
def test_validator_and_schema_agree_on_any_json_value(name, value):
    assert accepted(name, value) == schema_accepts(name, value)


def test_every_number_is_bounded_within_float32():
    for name, rule in RULES.items():
        if rule.kind == "category":
            continue
        assert rule.minimum is not None and rule.maximum is not None, name
        assert -FLOAT32_MAX < rule.minimum <= rule.maximum < FLOAT32_MAX, name


def real_rows(path) -> list[dict]:
    from training.dataset import load_applications

    frame = load_applications(path).drop(columns=["TARGET"], errors="ignore")
    frame = frame.astype(object).where(frame.notna(), None)
    return [
        {k: (v.item() if hasattr(v, "item") else v) for k, v in row.items()}
        for row in frame.to_dict("records")
    ]


@pytest.mark.parametrize("table", ["application_train", "application_test"])
def test_every_real_and_synthetic_application_passes_the_rulebook(table, demo_data_dir):
    folders = [demo_data_dir] + ([REAL_SAMPLE] if REAL_SAMPLE.is_dir() else [])
    for folder in folders:
        for row in real_rows(folder / f"{table}.csv"):
            validate_application(row)  # raises, naming the field, on the first broken rule


def extreme_applications() -> list[dict]:
    """Corners of the rulebook: every bound, and the ratios of amounts at their widest."""
    numeric = {name: rule for name, rule in RULES.items() if rule.kind != "category"}
    lowest = {name: rule.minimum for name, rule in numeric.items()}
    highest = {name: rule.maximum for name, rule in numeric.items()}
    money = ("AMT_INCOME_TOTAL", "AMT_CREDIT", "AMT_ANNUITY", "AMT_GOODS_PRICE")
    widest = [{**lowest, high: RULES[high].maximum} for high in money]
    zero_family = {**highest, "CNT_FAM_MEMBERS": 0, "CNT_CHILDREN": 100}
    return [lowest, highest, zero_family, *widest]


def test_no_accepted_value_overflows_a_feature(trained_model):
    for application in extreme_applications():
        validate_application(application)
    model = trained_model.model
    X = model.features(pd.DataFrame(extreme_applications()))
    numbers = X.select_dtypes("number").to_numpy(dtype="float64")
    assert not np.isinf(numbers).any(), X.columns[np.isinf(numbers).any(axis=0)].tolist()
    probabilities = model.predict_proba(pd.DataFrame(extreme_applications()))
    assert np.isfinite(probabilities).all()


def test_extremes_are_scored_through_the_api(client, api_key):
    response = client.post(
        "/api/predict",
        json={"applications": extreme_applications()},
        headers={"X-API-Key": api_key},
    )
    assert response.status_code == 200
    assert_answer_documented("/api/predict", "POST", response)


def test_a_probability_that_is_not_finite_is_never_a_decision(app, client, api_key, monkeypatch):
    with app.app_context():
        calibrator = model_store.get_model().model.calibrator
    monkeypatch.setattr(calibrator, "predict", lambda raw: np.full(len(raw), np.nan))
    response = client.post(
        "/api/predict", json={"application": GOOD_APPLICATION}, headers={"X-API-Key": api_key}
    )
    error = assert_error(response, 500, "scoring_failed")
    assert "no decision was made" in error["message"]
    assert "decision" not in response.get_data(as_text=True).replace("no decision", "")
    with app.app_context():
        from app.extensions import db

        assert db.session.scalar(sa.select(sa.func.count(Prediction.id))) == 0


def test_the_document_is_openapi_31_with_valid_schemas():
    import schemathesis

    document = openapi_document()
    assert document["openapi"] == "3.1.0"
    for schema in document["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)
    loaded = schemathesis.openapi.from_dict(document)
    operations = [result.ok() for result in loaded.get_all_operations()]  # raises if invalid
    assert {operation.label for operation in operations} >= {
        "POST /api/predict",
        "GET /api/clients/{client_id}",
    }
    properties = document["components"]["schemas"]["Application"]["properties"]
    assert set(properties) == {"SK_ID_CURR", *APPLICATION_COLUMNS}


def test_every_operation_documents_every_status_it_can_answer():
    paths = openapi_document()["paths"]
    expected = {
        ("/api/predict", "post"): {"200", "400", "401", "404", "405", "413", "415", "422"},
        ("/api/clients/{client_id}", "get"): {"200", "401", "404", "405", "429", "503"},
        ("/api/model", "get"): {"200", "405", "429", "503"},
        ("/api/drift", "get"): {"200", "401", "404", "405", "429", "503"},
        ("/api/health", "get"): {"200", "405", "429", "503"},
        ("/api/decisions", "post"): {"201", "400", "401", "404", "405", "413", "415", "422"},
        ("/api/performance", "get"): {"200", "401", "404", "405", "429", "503"},
    }
    expected[("/api/decisions", "post")] |= {"429", "503"}
    expected[("/api/predict", "post")] |= {"429", "503"}
    documented = {
        (path, method): set(op["responses"])
        for path, ops in paths.items()
        for method, op in ops.items()
    }
    assert documented == expected
    allow = paths["/api/predict"]["post"]["responses"]["405"]["headers"]
    assert allow["Allow"]["required"] is True


@pytest.mark.parametrize(
    ("path", "method", "allowed"),
    [
        ("/api/predict", "delete", "OPTIONS, POST"),
        ("/api/predict", "get", "OPTIONS, POST"),
        ("/api/model", "post", "GET, HEAD, OPTIONS"),
        ("/api/clients/100002", "put", "GET, HEAD, OPTIONS"),
        ("/api/health", "patch", "GET, HEAD, OPTIONS"),
        ("/auth/sign-out", "get", "OPTIONS, POST"),
    ],
)
def test_405_answers_carry_allow(client, path, method, allowed):
    response = getattr(client, method)(path)
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) == set(allowed.split(", "))
    if path.startswith("/api/"):
        assert_error(response, 405, "method_not_allowed")


def test_every_answer_of_the_api_is_as_documented(app, client, api_key):
    from app.models import Client

    headers = {"X-API-Key": api_key}
    with app.app_context():
        from app.extensions import db

        known = db.session.scalars(sa.select(Client.sk_id_curr).limit(1)).one()
    client.post("/api/predict", json={"client_id": known}, headers=headers)
    answers = [
        ("/api/clients/{client_id}", client.get(f"/api/clients/{known}", headers=headers)),
        ("/api/model", client.get("/api/model")),
        ("/api/health", client.get("/api/health")),
        ("/api/drift", client.get("/api/drift", headers=headers)),
        ("/api/drift", client.get("/api/drift")),
        ("/api/clients/{client_id}", client.get("/api/clients/1", headers=headers)),
        ("/api/clients/{client_id}", client.get("/api/clients/100002")),
    ]
    for path, response in answers:
        assert_answer_documented(path, "GET", response)
