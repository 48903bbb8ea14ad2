"""The OpenAPI 3.1 document of the API.

Request bodies come from the application rulebook (app/services/validation.py), the same rules
that check every request, so anything the document allows is scored and anything it forbids is
refused. Responses are the exact schemas of app/api/response_schemas.py; every operation lists
every status it can answer.
"""

import functools

from app.api.openapi_oversight import oversight_paths, oversight_schemas
from app.api.response_schemas import COMPONENTS
from app.api.statuses import error_response, json_response, ref
from app.services.validation import RULES, application_schema, client_id_schema

MAX_BATCH = 1000  # Config.MAX_BATCH_SIZE; app/api/routes.py refuses more with a 413

ALWAYS = ("405", "429")  # every path answers other methods and every call is rate limited


def _responses(ok: dict, *statuses: str) -> dict:
    """200 and the error statuses of one operation, each with its exact error schema."""
    responses = {"200": ok}
    for status in sorted({*statuses, *ALWAYS}):
        responses[status] = error_response(status)
    return responses


def _predict_body() -> dict:
    """Exactly one of the four forms; batches hold 1 to 1,000 items."""
    forms = {
        "client_id": client_id_schema(),
        "application": ref("Application"),
        "client_ids": {
            "type": "array",
            "items": client_id_schema(),
            "minItems": 1,
            "maxItems": MAX_BATCH,
        },
        "applications": {
            "type": "array",
            "items": ref("Application"),
            "minItems": 1,
            "maxItems": MAX_BATCH,
        },
    }
    return {
        "oneOf": [
            {
                "type": "object",
                "properties": {name: schema},
                "required": [name],
                "additionalProperties": False,
            }
            for name, schema in forms.items()
        ]
    }


# Ready examples for integrators and the API console (/api/console). 100002 is the first
# applicant of the Kaggle data and of the synthetic demo data, so it is a stored client in both.
EXAMPLE_CLIENT_ID = 100002
EXAMPLE_APPLICATION = {
    "SK_ID_CURR": 456250,
    "NAME_CONTRACT_TYPE": "Cash loans",
    "CODE_GENDER": "F",
    "FLAG_OWN_CAR": "N",
    "FLAG_OWN_REALTY": "Y",
    "CNT_CHILDREN": 1,
    "AMT_INCOME_TOTAL": 135000.0,
    "AMT_CREDIT": 568800.0,
    "AMT_ANNUITY": 20560.5,
    "AMT_GOODS_PRICE": 450000.0,
    "NAME_INCOME_TYPE": "Working",
    "NAME_EDUCATION_TYPE": "Higher education",
    "NAME_FAMILY_STATUS": "Married",
    "NAME_HOUSING_TYPE": "House / apartment",
    "DAYS_BIRTH": -19241,
    "DAYS_EMPLOYED": -2329,
    "DAYS_REGISTRATION": -5170.0,
    "DAYS_ID_PUBLISH": -812,
    "OCCUPATION_TYPE": "Core staff",
    "CNT_FAM_MEMBERS": 3.0,
    "REGION_RATING_CLIENT": 2,
    "EXT_SOURCE_1": 0.75,
    "EXT_SOURCE_2": 0.79,
    "EXT_SOURCE_3": 0.16,
    "FLAG_DOCUMENT_3": 1,
}
PREDICT_EXAMPLES = {
    "stored_client": {
        "summary": "A stored client, scored with its credit history",
        "value": {"client_id": EXAMPLE_CLIENT_ID},
    },
    "raw_application": {
        "summary": "A new application sent as raw fields",
        "value": {"application": EXAMPLE_APPLICATION},
    },
    "batch": {
        "summary": "A batch of stored clients (at most 1,000 per call)",
        "value": {"client_ids": [EXAMPLE_CLIENT_ID, EXAMPLE_CLIENT_ID + 1, EXAMPLE_CLIENT_ID + 2]},
    },
}
# Bodies the API refuses, kept apart from `examples` (which code generators and fuzzers take
# as valid input), each with the status it gets.
PREDICT_REFUSED_EXAMPLES = {
    "invalid_application": {
        "summary": "An invalid application: a negative income is refused with 422",
        "value": {"application": {"AMT_INCOME_TOTAL": -1, "AMT_CREDIT": 450000.0}},
        "x-status": 422,
    },
}

# Stateful fuzzing follows these: a prediction's client can be looked up, a client re-scored.
PREDICTION_LINKS = {
    "GetScoredClient": {
        "operationId": "getClient",
        "parameters": {"client_id": "$response.body#/client_id"},
    }
}
CLIENT_LINKS = {
    "ScoreClient": {
        "operationId": "predict",
        "requestBody": {"client_id": "$response.body#/client_id"},
    }
}


def _predict() -> dict:
    ok = json_response(
        {"oneOf": [ref("Prediction"), ref("PredictionBatch")]},
        "One prediction, or {predictions: [...]} in input order for a batch.",
        links=PREDICTION_LINKS,
    )
    return {
        "post": {
            "summary": "Score one or many applications (known clients or raw fields)",
            "operationId": "predict",
            "security": [{"ApiKey": []}],
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": _predict_body(),
                        "examples": PREDICT_EXAMPLES,
                        "x-refused-examples": PREDICT_REFUSED_EXAMPLES,
                    }
                },
            },
            "responses": _responses(ok, "400", "401", "404", "413", "415", "422", "503"),
        }
    }


def _get(operation_id: str, summary: str, ok: dict, *statuses: str, secured=True, **extra):
    operation = {"summary": summary, "operationId": operation_id, **extra}
    if secured:
        operation["security"] = [{"ApiKey": []}]
    operation["responses"] = _responses(ok, *statuses, *(("401",) if secured else ()))
    return {"get": operation}


def _paths() -> dict:
    client_id = {
        "name": "client_id",
        "in": "path",
        "required": True,
        "schema": client_id_schema(),
        "example": EXAMPLE_CLIENT_ID,
    }
    return {
        "/api/predict": _predict(),
        "/api/clients/{client_id}": _get(
            "getClient",
            "A stored client's application data and latest score",
            json_response(ref("Client"), "Application, history, latest score.", links=CLIENT_LINKS),
            "404",
            "503",
            parameters=[client_id],
        ),
        "/api/model": _get(
            "getModel",
            "The model in service: name, version, threshold, metrics, features",
            json_response(ref("Model"), "Model description."),
            "503",
            secured=False,
        ),
        "/api/drift": _get(
            "getDrift",
            "The latest data-drift run: drifted characteristics and their tests",
            json_response(ref("DriftRun"), "Summary of the latest drift run."),
            "404",
            "503",
        ),
        "/api/health": _get(
            "health",
            "Model and database status: ok or degraded, nothing more",
            json_response(ref("Health"), "Both work."),
            secured=False,
        ),
    }


def _health_paths(paths: dict) -> dict:
    """/api/health answers 503 with its own body (per-component status), not the error shape."""
    responses = paths["/api/health"]["get"]["responses"]
    responses["503"] = json_response(ref("Health"), "Something is degraded; the log says why.")
    return paths


def field_rows() -> list[dict]:
    """The application fields as the HTML documentation lists them: name, type, rule."""
    rows = []
    for name, rule in RULES.items():
        if rule.kind == "category":
            kind, text = "string", ", ".join(rule.levels)
        else:
            kind = "integer" if rule.whole else "number"
            text = f"{rule.text[0].upper()}{rule.text[1:]}."
        rows.append({"name": name, "type": kind, "rule": text})
    return rows


@functools.cache
def openapi_document() -> dict:
    """The whole OpenAPI 3.1 document (cached: it never changes while the process runs)."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Prêt à dépenser credit scoring API",
            "version": "1.1.0",
            "description": "Probability of default, decision, threshold and reasons for "
            "loan applications. Every prediction is logged before it is answered.",
        },
        "paths": {**_health_paths(_paths()), **oversight_paths()},
        "components": {
            "securitySchemes": {"ApiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"}},
            "schemas": {"Application": application_schema(), **COMPONENTS, **oversight_schemas()},
        },
    }
