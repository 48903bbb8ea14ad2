"""Fuzz POST /api/predict from its own OpenAPI document: valid and invalid bodies, never a 5xx."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode

MAX_EXAMPLES = 25  # per mode; enough to reach every validator branch, cheap on 2 cores


@pytest.mark.slow
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_predict_never_answers_5xx(app, api_key, mode):
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    operation = schema["/api/predict"]["POST"]
    statuses = []

    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,  # the same examples every run: a failure is never luck
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

    check()
    if mode == GenerationMode.POSITIVE:
        # Schema-valid bodies score (200) unless they name clients that do not exist (404).
        assert set(statuses) <= {200, 404}
    else:
        assert set(statuses) <= {400, 401, 404, 413, 415, 422}
