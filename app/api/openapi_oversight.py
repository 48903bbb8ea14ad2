"""The OpenAPI paths and schemas of the oversight endpoints (app/api/oversight.py).

Kept apart from openapi.py, which merges them into the one document: `oversight_paths()` and
`oversight_schemas()`. Every status these endpoints answer is listed.
"""

from app.api.statuses import error_response, json_response, ref
from app.services.decisions import MAX_COMMENT, REASONS

_NUMBER_OR_NULL = {"type": ["number", "null"]}
_GROUP = {
    "type": "object",
    "description": "A group of decisions with a known outcome.",
    "properties": {
        "n": {"type": "integer"},
        "default_rate": _NUMBER_OR_NULL,
        "default_rate_accepted": _NUMBER_OR_NULL,
        "business_cost_model": _NUMBER_OR_NULL,
        "business_cost_final": _NUMBER_OR_NULL,
    },
    "required": ["n", "default_rate"],
}

DECISION_REQUEST = {
    "type": "object",
    "required": ["prediction_id", "final_decision"],
    "additionalProperties": False,
    "properties": {
        "prediction_id": {
            "type": "integer",
            "minimum": 1,
            "description": "The scoring decided on (prediction_id of a /api/predict answer).",
        },
        "final_decision": {"type": "string", "enum": ["accepted", "refused"]},
        "reason": {
            "enum": [*REASONS, None],
            "description": "Required when final_decision differs from the model's decision "
            "(an override), absent or null otherwise. documents_verified, "
            "income_proven_higher and guarantor justify accepting; fraud_suspicion refusing; "
            "other either (with a comment).",
        },
        "comment": {
            "type": ["string", "null"],
            "maxLength": MAX_COMMENT,
            "description": "Required when reason is 'other'.",
        },
    },
}

DECISION_EXAMPLES = {
    "follow_the_model": {
        "summary": "Follow the model's decision on a scoring (use a prediction_id you received)",
        "value": {"prediction_id": 1, "final_decision": "refused"},
    },
    "override": {
        "summary": "Override the model's decision, with the reason",
        "value": {
            "prediction_id": 1,
            "final_decision": "accepted",
            "reason": "documents_verified",
            "comment": "Payslips for the last six months seen.",
        },
    },
}

DECISION = {
    "type": "object",
    "required": [
        "id",
        "prediction_id",
        "advisor",
        "model_decision",
        "final_decision",
        "overridden",
        "created_at",
    ],
    "properties": {
        "id": {"type": "integer"},
        "prediction_id": {"type": "integer"},
        "client_id": {"type": ["integer", "null"]},
        "advisor": {"type": "string", "description": "Who decided: the API key's name."},
        "model_decision": {"type": "string", "enum": ["accepted", "refused"]},
        "final_decision": {"type": "string", "enum": ["accepted", "refused"]},
        "overridden": {"type": "boolean"},
        "reason": {"enum": [*REASONS, None]},
        "comment": {"type": ["string", "null"]},
        "created_at": {"type": "string", "format": "date-time"},
        "probability_of_default": {"type": "number"},
        "threshold": {"type": "number"},
        "model": {
            "type": "object",
            "properties": {"name": {"type": "string"}, "version": {"type": "string"}},
        },
    },
}

PERFORMANCE_RUN = {
    "type": "object",
    "required": [
        "n_labelled",
        "auc",
        "business_cost",
        "default_rate_accepted",
        "override_rate",
        "overrides",
        "calibration",
        "by_month",
        "created_at",
        "model_version",
    ],
    "properties": {
        "id": {"type": "integer"},
        "created_at": {"type": "string", "format": "date-time"},
        "model_name": {"type": "string"},
        "model_version": {"type": "string"},
        "window": {"type": ["string", "null"], "description": "e.g. 90d; null: all."},
        "window_start": {"type": ["string", "null"], "format": "date-time"},
        "window_end": {"type": "string", "format": "date-time"},
        "threshold": {"type": "number"},
        "n_decisions": {"type": "integer", "description": "Latest decision per client."},
        "n_labelled": {"type": "integer", "description": "... of which have a known outcome."},
        "auc": {"type": "number", "description": "Realised ROC AUC of the model's scores."},
        "test_auc": {**_NUMBER_OR_NULL, "description": "The model's AUC on its test split."},
        "auc_drop": {**_NUMBER_OR_NULL, "description": "test_auc - auc."},
        "alert": {"type": "boolean", "description": "auc_drop > alert_margin."},
        "alert_margin": {"type": "number"},
        "business_cost": {
            "type": "number",
            "description": "Mean cost per application of the model's decisions at its "
            "threshold (10 per missed default, 1 per refused good client).",
        },
        "business_cost_final": {
            "type": "number",
            "description": "The same for the advisors' final decisions.",
        },
        "default_rate_accepted": {
            **_NUMBER_OR_NULL,
            "description": "Default rate among the applications finally accepted.",
        },
        "override_rate": {"type": "number", "minimum": 0, "maximum": 1},
        "overrides": {
            **_GROUP,
            "properties": {
                **_GROUP["properties"],
                "accepted_by_advisor": _GROUP,
                "refused_by_advisor": _GROUP,
            },
        },
        "followed": _GROUP,
        "calibration": {
            "type": "array",
            "description": "Deciles of predicted probability: predicted against observed.",
            "items": {
                "type": "object",
                "properties": {
                    "mean_predicted": {"type": "number"},
                    "observed_rate": {"type": "number"},
                    "count": {"type": "integer"},
                },
            },
        },
        "by_month": {
            "type": "array",
            "description": "The same figures per month of the decision (UTC), oldest first.",
            "items": {
                "type": "object",
                "properties": {
                    "month": {"type": "string", "example": "2026-11"},
                    "n_labelled": {"type": "integer"},
                    "auc": _NUMBER_OR_NULL,
                    "default_rate": {"type": "number"},
                    "default_rate_accepted": _NUMBER_OR_NULL,
                    "business_cost": {"type": "number"},
                    "override_rate": {"type": "number"},
                    "overrides": _GROUP,
                    "followed": _GROUP,
                },
            },
        },
    },
}


def oversight_paths() -> dict:
    secured = [{"ApiKey": []}]
    return {
        "/api/decisions": {
            "post": {
                "summary": "Record the final decision on a scoring (follow or override the model)",
                "operationId": "recordDecision",
                "security": secured,
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/DecisionRequest"},
                            "examples": DECISION_EXAMPLES,
                        }
                    },
                },
                "responses": {
                    "201": json_response(ref("Decision"), "Recorded."),
                    "400": error_response("400"),
                    "401": error_response("401"),
                    "404": error_response(
                        "404", "Unknown prediction_id (code prediction_not_found)."
                    ),
                    "405": error_response("405"),
                    "413": error_response("413", "Body over the size limit."),
                    "415": error_response("415"),
                    "422": error_response(
                        "422",
                        "Invalid decision, nothing written: unknown or missing field, bad value, "
                        "a missing reason on an override (missing_reason), a reason when following "
                        "the model, a comment missing for 'other', a what-if scoring.",
                    ),
                    "429": error_response("429"),
                    "503": error_response("503", "Database unavailable; nothing written."),
                },
            }
        },
        "/api/performance": {
            "get": {
                "summary": "The latest performance run: the model's scores against known outcomes",
                "operationId": "getPerformance",
                "security": secured,
                "responses": {
                    "200": json_response(ref("PerformanceRun"), "The latest run."),
                    "401": error_response("401"),
                    "404": error_response(
                        "404", "No performance run yet (code no_performance_run)."
                    ),
                    "405": error_response("405"),
                    "429": error_response("429"),
                    "503": error_response("503", "Database unavailable."),
                },
            }
        },
    }


def oversight_schemas() -> dict:
    return {
        "DecisionRequest": DECISION_REQUEST,
        "Decision": DECISION,
        "PerformanceRun": PERFORMANCE_RUN,
    }
