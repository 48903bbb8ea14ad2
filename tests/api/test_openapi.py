"""The OpenAPI document (app/api/openapi.py) describes what the API really accepts."""

import pytest

from app.errors import InvalidInputError
from app.services.validation import validate_application
from tests.helpers import GOOD_APPLICATION


def test_openapi_documents_days_employed_as_the_validator_checks_it():
    """The gap a fuzzer found (a documented 1024 got a 422) stays closed."""
    import jsonschema

    from app.api.openapi import openapi_document

    # The document is OpenAPI 3.1: its schemas are JSON Schema 2020-12 (anyOf, const).
    application = openapi_document()["components"]["schemas"]["Application"]
    documented = jsonschema.Draft202012Validator(application["properties"]["DAYS_EMPLOYED"])
    assert documented.is_valid(-2329) and documented.is_valid(365243)
    with pytest.raises(InvalidInputError):
        validate_application(dict(GOOD_APPLICATION, DAYS_EMPLOYED=1024))
    assert not documented.is_valid(1024)


def test_drift_is_documented_like_every_other_api_route(client):
    spec = client.get("/api/openapi.json").get_json()
    documented = {path for path in spec["paths"]}
    served = {
        rule.rule.replace("<int:client_id>", "{client_id}")
        for rule in client.application.url_map.iter_rules()
        if rule.rule.startswith("/api/")
        and rule.rule not in ("/api/openapi.json", "/api/docs", "/api/console")
    }
    assert served <= documented
    drift = spec["paths"]["/api/drift"]["get"]
    assert set(drift["responses"]) == {"200", "401", "404", "405", "429", "503"}
