"""The OpenAPI 3 document of the API, built once from the same rules that validate input
(app/services/validation.py)."""

import functools
import math

from app.api.openapi_oversight import oversight_paths, oversight_schemas
from app.services.validation import APPLICATION_COLUMNS, MAX_CLIENT_ID, RULES

ERROR_STATUSES = {
    "400": "Malformed JSON.",
    "401": "Missing or invalid X-API-Key.",
    "404": "Unknown client (or, for /api/drift, no drift run yet).",
    "413": "Body over the size limit or batch over 1,000 items.",
    "415": "Body is not application/json.",
    "422": "Invalid input: unknown field, wrong type or impossible value (named in details).",
    "503": "No model loaded or database unavailable.",
}


CLIENT_ID = {"type": "integer", "minimum": 1, "maximum": MAX_CLIENT_ID}


def _column_schema(name: str) -> dict:
    kind, levels = APPLICATION_COLUMNS[name]
    if kind == "category":
        return {"type": "string", "enum": list(levels), "nullable": True}
    schema = {"type": "integer" if kind == "int" else "number", "nullable": True}
    rule = RULES.get(name)
    if rule is not None:
        schema["description"] = f"{name} {rule.text}."
        low, high = rule.minimum, rule.maximum
        if rule.allowed_extra is not None:
            high = rule.allowed_extra  # DAYS_EMPLOYED: <= 0, or the 365243 marker
        if low is not None:
            schema["minimum"] = math.ceil(low) if kind == "int" else low
        if high is not None:
            schema["maximum"] = math.floor(high) if kind == "int" else high
    return schema


def _application_schema() -> dict:
    properties = {"SK_ID_CURR": {**CLIENT_ID, "nullable": True}}
    properties.update({name: _column_schema(name) for name in APPLICATION_COLUMNS})
    return {
        "type": "object",
        "description": "Raw application fields (application_test columns); absent = missing.",
        "properties": properties,
        "additionalProperties": False,
    }


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*statuses: str) -> dict:
    return {status: _json(_ref("Error"), ERROR_STATUSES[status]) for status in statuses}


PREDICTION = {
    "type": "object",
    "required": ["prediction_id", "probability_of_default", "decision", "threshold"],
    "properties": {
        "prediction_id": {"type": "integer", "description": "Row id in the prediction log."},
        "client_id": {"type": "integer", "nullable": True},
        "probability_of_default": {"type": "number", "minimum": 0, "maximum": 1},
        "decision": {"type": "string", "enum": ["accepted", "refused"]},
        "threshold": {"type": "number"},
        "distance_to_threshold": {
            "type": "number",
            "description": "probability_of_default - threshold (>= 0 means refused).",
        },
        "reasons": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "group": {"type": "string"},
                    "label": {"type": "string"},
                    "direction": {"type": "string", "enum": ["raises", "lowers"]},
                    "contribution": {"type": "number", "description": "log-odds"},
                    "client_value": {"type": "string", "nullable": True},
                    "text": {"type": "string"},
                },
            },
        },
        "model": {
            "type": "object",
            "properties": {"name": {"type": "string"}, "version": {"type": "string"}},
        },
        "warnings": {"type": "array", "items": {"type": "string"}},
    },
}

_NUMBER_OR_NULL = {"type": "number", "nullable": True}
DRIFT_RUN = {
    "type": "object",
    "required": ["id", "created_at", "drift_share", "dataset_drift", "drifted_columns", "columns"],
    "properties": {
        "id": {"type": "integer"},
        "created_at": {"type": "string", "format": "date-time"},
        "source": {"type": "string", "enum": ["file", "window", "last"]},
        "source_detail": {"type": "string"},
        "rows": {"type": "integer", "description": "Current rows available in the source."},
        "rows_compared": {"type": "integer", "description": "After the seeded sample cap."},
        "rows_reference": {"type": "integer"},
        "column_count": {"type": "integer"},
        "drift_share": {"type": "number", "minimum": 0, "maximum": 1},
        "dataset_drift": {"type": "boolean"},
        "drifted_columns": {"type": "array", "items": {"type": "string"}},
        "columns": {
            "type": "array",
            "description": "Every monitored column, the strongest drift first.",
            "items": {"type": "object"},
        },
        "prediction_drift": {"type": "object", "nullable": True},
        "mean_probability": _NUMBER_OR_NULL,
        "mean_probability_reference": _NUMBER_OR_NULL,
        "model_name": {"type": "string"},
        "model_version": {"type": "string"},
    },
}

ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "details"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "details": {"type": "object"},
            },
        }
    },
}


def _predict_body() -> dict:
    one_of = [
        {"client_id": {"type": "integer", "minimum": 1, "maximum": MAX_CLIENT_ID}},
        {"application": _ref("Application")},
        {"client_ids": {"type": "array", "items": CLIENT_ID}},
        {"applications": {"type": "array", "items": _ref("Application")}},
    ]
    variants = []
    for properties in one_of:
        ((name, schema),) = properties.items()
        if schema.get("type") == "array":
            schema = {**schema, "minItems": 1, "maxItems": 1000}
        variants.append(
            {
                "type": "object",
                "properties": {name: schema},
                "required": [name],
                "additionalProperties": False,
            }
        )
    return {"oneOf": variants}


def _paths() -> dict:
    secured = [{"ApiKey": []}]
    return {
        "/api/predict": {
            "post": {
                "summary": "Score one or many applications (known clients or raw fields)",
                "operationId": "predict",
                "security": secured,
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": _predict_body()}},
                },
                "responses": {
                    "200": _json(
                        {"oneOf": [_ref("Prediction"), _ref("PredictionBatch")]},
                        "One prediction, or {predictions: [...]} in input order for a batch.",
                    ),
                    **_errors("400", "401", "404", "413", "415", "422", "503"),
                },
            }
        },
        "/api/clients/{client_id}": {
            "get": {
                "summary": "A stored client's application data and latest score",
                "operationId": "getClient",
                "security": secured,
                "parameters": [
                    {
                        "name": "client_id",
                        "in": "path",
                        "required": True,
                        "schema": CLIENT_ID,
                    }
                ],
                "responses": {
                    "200": _json({"type": "object"}, "Application, history, latest score."),
                    **_errors("401", "404", "503"),
                },
            }
        },
        "/api/model": {
            "get": {
                "summary": "The model in service: name, version, threshold, metrics, features",
                "operationId": "getModel",
                "responses": {
                    "200": _json({"type": "object"}, "Model description."),
                    **_errors("503"),
                },
            }
        },
        "/api/drift": {
            "get": {
                "summary": "The latest data-drift run: drifted characteristics and their tests",
                "operationId": "getDrift",
                "security": secured,
                "responses": {
                    "200": _json(_ref("DriftRun"), "Summary of the latest drift run."),
                    **_errors("401", "404", "503"),
                },
            }
        },
        "/api/health": {
            "get": {
                "summary": "Model and database status",
                "operationId": "health",
                "responses": {
                    "200": _json({"type": "object"}, "Both work."),
                    "503": _json({"type": "object"}, "Something is down; says why."),
                },
            }
        },
    }


@functools.cache
def openapi_document() -> dict:
    """The whole OpenAPI 3.0 document (cached: it never changes while the process runs)."""
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Prêt à dépenser credit scoring API",
            "version": "1.0.0",
            "description": "Probability of default, decision, threshold and reasons for "
            "loan applications. Every prediction is logged before it is answered.",
        },
        "paths": {**_paths(), **oversight_paths()},
        "components": {
            "securitySchemes": {"ApiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"}},
            "schemas": {
                "Application": _application_schema(),
                "Prediction": PREDICTION,
                "PredictionBatch": {
                    "type": "object",
                    "properties": {"predictions": {"type": "array", "items": _ref("Prediction")}},
                },
                "DriftRun": DRIFT_RUN,
                "Error": ERROR,
                **oversight_schemas(),
            },
        },
    }
