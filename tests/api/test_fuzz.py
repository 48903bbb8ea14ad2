"""Fuzz POST /api/predict from its own OpenAPI document: valid and invalid bodies, never a 5xx.

The seed is fixed (the "ci" Hypothesis profile in tests/conftest.py), so `make test` runs the
same cases every time; `make fuzz` explores with random seeds against gunicorn. Every failure a
fuzzer ever found is kept below as an explicit regression example.
"""

import json

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode

from tests.api.contract_tools import assert_answer_documented, body_allowed
from tests.helpers import GOOD_APPLICATION

MAX_EXAMPLES = 25  # per mode; enough to reach every validator branch, cheap on 2 cores

# (body as sent, what the document says about it, status). Found by the fuzzers (issue 10).
REGRESSIONS = [
    # The document allowed DAYS_EMPLOYED up to 365243; the validator refused 1..365242.
    ('{"application": {"DAYS_EMPLOYED": 4424}}', False, 422),
    ('{"application": {"DAYS_EMPLOYED": 365243}}', True, 200),
    ('{"application": {"DAYS_EMPLOYED": -36525}}', True, 200),
    # 1e39 overflowed float32 to infinity and was scored.
    ('{"application": {"AMT_CREDIT": 1e39}}', False, 422),
    ('{"application": {"AMT_CREDIT": 1000000000}}', True, 200),
    ('{"application": {"AMT_ANNUITY": 1, "AMT_CREDIT": 1000000000}}', True, 200),
    # An integer of 400 digits overflowed math.isfinite: 500.
    ('{"application": {"AMT_CREDIT": ' + "9" * 400 + "}}", False, 422),
    ('{"client_id": ' + "9" * 400 + "}", False, 422),
    ('{"client_ids": [1, ' + "9" * 400 + "]}", False, 422),
    # 1e999 parses as infinity; it was echoed back as Infinity, which is not JSON.
    ('{"application": {"EXT_SOURCE_1": 1e999}}', False, 422),
    # Whole numbers where the schema says integer, written as floats.
    ('{"application": {"CNT_CHILDREN": 2.0, "CNT_FAM_MEMBERS": 4.0}}', True, 200),
    ('{"application": {"CNT_FAM_MEMBERS": 2.5}}', False, 422),
    ('{"application": {"SK_ID_CURR": null}}', True, 200),
    # JSON Schema calls 234.0 an integer: a client id written as a float was refused.
    ('{"client_ids": [8110779, 234.0, 820]}', True, 404),
    ('{"client_id": 234.0}', True, 404),
    ('{"application": {"SK_ID_CURR": 5.0}}', True, 200),
    ('{"application": {"SK_ID_CURR": 2147483648}}', False, 422),
    ('{"application": {"NAME_CONTRACT_TYPE": null, "FLAG_MOBIL": 1}}', True, 200),
]


@pytest.mark.parametrize(("raw", "allowed", "status"), REGRESSIONS)
def test_fuzzer_findings_stay_fixed(client, api_key, raw, allowed, status):
    assert body_allowed(json.loads(raw)) is allowed  # the document says what the API does
    response = client.post(
        "/api/predict", data=raw, content_type="application/json", headers={"X-API-Key": api_key}
    )
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    assert_answer_documented("/api/predict", "POST", response)


def test_a_full_application_is_allowed_and_scored(client, api_key):
    assert body_allowed({"application": GOOD_APPLICATION})
    response = client.post(
        "/api/predict", json={"application": GOOD_APPLICATION}, headers={"X-API-Key": api_key}
    )
    assert response.status_code == 200


@pytest.mark.slow
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_predict_never_answers_5xx(app, api_key, mode):
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    operation = schema["/api/predict"]["POST"]
    statuses = []

    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def check(case):
        response = case.call(headers={"X-API-Key": api_key})
        statuses.append(response.status_code)
        assert response.status_code < 500, response.text[:500]
        assert response.headers["content-type"][0].startswith("application/json")
        body = response.json()
        if response.status_code >= 400:
            assert set(body["error"]) == {"code", "message", "details"}
        # The status is documented and the body fits its exact schema.
        case.validate_response(response, headers={"X-API-Key": api_key})

    check()
    if mode == GenerationMode.POSITIVE:
        # Schema-valid bodies score (200) unless they name clients that do not exist (404).
        assert set(statuses) <= {200, 404}
    else:
        assert set(statuses) <= {400, 401, 404, 413, 415, 422}
