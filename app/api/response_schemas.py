"""Exact JSON Schemas of what the API answers: every field named, no body valid under two schemas.

Used by app/api/openapi.py; the tests validate real responses against them.
"""

from app.services.validation import MAX_CLIENT_ID

# Every error code each status can carry (app/errors.py HTTP_CODES and the AppError subclasses).
ERROR_CODES = {
    "400": ["bad_request", "malformed_json", "duplicate_key", "too_deeply_nested"],
    "401": ["unauthorized"],
    "404": [
        "not_found",
        "client_not_found",
        "no_drift_run",
        "prediction_not_found",
        "no_performance_run",
    ],
    "405": ["method_not_allowed"],
    "413": ["payload_too_large", "batch_too_large"],
    "415": ["unsupported_media_type"],
    "422": [
        "invalid_value",
        "invalid_type",
        "unknown_field",
        "invalid_body",
        "missing_field",
        "missing_reason",
        "missing_comment",
    ],
    "429": ["too_many_requests"],
    "503": [
        "service_unavailable",
        "model_unavailable",
        "database_unavailable",
        "rate_limit_unavailable",
    ],
}

NUMBER_OR_NULL = {"type": ["number", "null"]}
STRING_OR_NULL = {"type": ["string", "null"]}
PROBABILITY = {"type": "number", "minimum": 0, "maximum": 1}


def exact(properties: dict, required: list | None = None, **extra) -> dict:
    """An object with exactly these properties (all required unless listed otherwise)."""
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties) if required is None else required,
        "additionalProperties": False,
        **extra,
    }


def error_schema(status: str) -> dict:
    """The one error shape, with the codes this status can carry."""
    error = exact(
        {
            "code": {"enum": ERROR_CODES[status]},
            "message": {"type": "string", "minLength": 1},
            "details": {"type": "object"},
        }
    )
    return exact({"error": error})


REASON = exact(
    {
        "group": {"type": "string"},
        "label": {"type": "string"},
        "direction": {"enum": ["raises", "lowers"]},
        "contribution": {"type": "number", "description": "log-odds"},
        "client_value": STRING_OR_NULL,
        "text": {"type": "string"},
    }
)
MODEL_REF = exact({"name": {"type": "string"}, "version": {"type": "string"}})

PREDICTION = exact(
    {
        "prediction_id": {"type": "integer", "description": "Row id in the prediction log."},
        "client_id": {"type": ["integer", "null"], "minimum": 1, "maximum": MAX_CLIENT_ID},
        "probability_of_default": PROBABILITY,
        "decision": {"enum": ["accepted", "refused"]},
        "threshold": PROBABILITY,
        "distance_to_threshold": {
            "type": "number",
            "minimum": -1,
            "maximum": 1,
            "description": "probability_of_default - threshold (>= 0 means refused).",
        },
        "reasons": {"type": "array", "items": {"$ref": "#/components/schemas/Reason"}},
        "model": MODEL_REF,
        "warnings": {"type": "array", "items": {"type": "string"}},
    }
)

PREDICTION_BATCH = exact(
    {
        "predictions": {
            "type": "array",
            "minItems": 1,
            "items": {"$ref": "#/components/schemas/Prediction"},
            "description": "In input order.",
        }
    }
)

LATEST_SCORE = exact(
    {
        "prediction_id": {"type": "integer"},
        "created_at": {"type": "string", "format": "date-time"},
        "source": {"type": "string"},
        "probability_of_default": PROBABILITY,
        "decision": {"enum": ["accepted", "refused"]},
        "threshold": PROBABILITY,
        "model": MODEL_REF,
    }
)

CLIENT = exact(
    {
        "client_id": {"type": "integer", "minimum": 1, "maximum": MAX_CLIENT_ID},
        "is_training": {"type": "boolean"},
        "application": {"type": "object", "description": "Raw application fields."},
        "history": {"type": "object", "description": "Credit-history aggregates."},
        "latest_score": {"anyOf": [{"$ref": "#/components/schemas/LatestScore"}, {"type": "null"}]},
    }
)

MODEL = exact(
    {
        "name": {"type": "string"},
        "version": {"type": "string"},
        "uri": {"type": "string"},
        "threshold": PROBABILITY,
        "metrics": {"type": "object"},
        "features": {"type": "array", "items": {"type": "string"}},
        "input_columns": {"type": "array", "items": {"type": "string"}},
        "trained_at": STRING_OR_NULL,
        "run_id": STRING_OR_NULL,
    }
)

COMPONENT_STATUS = {"enum": ["ok", "degraded"]}
HEALTH = exact(
    {
        "status": COMPONENT_STATUS,
        "model": exact({"status": COMPONENT_STATUS}),
        "database": exact({"status": COMPONENT_STATUS}),
        "error": error_schema("503")["properties"]["error"],
    },
    required=["status", "model", "database"],
    description="Only ok or degraded per component: causes go to the server log.",
)

DRIFT_RUN = exact(
    {
        "id": {"type": "integer"},
        "created_at": {"type": "string", "format": "date-time"},
        "source": {"enum": ["file", "window", "last"]},
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
        "prediction_drift": {"type": ["object", "null"]},
        "mean_probability": NUMBER_OR_NULL,
        "mean_probability_reference": NUMBER_OR_NULL,
        "model_name": {"type": "string"},
        "model_version": {"type": "string"},
    }
)

COMPONENTS = {
    "Prediction": PREDICTION,
    "PredictionBatch": PREDICTION_BATCH,
    "Reason": REASON,
    "Client": CLIENT,
    "LatestScore": LATEST_SCORE,
    "Model": MODEL,
    "Health": HEALTH,
    "DriftRun": DRIFT_RUN,
    **{f"Error{status}": error_schema(status) for status in ERROR_CODES},
}
