"""What each HTTP status of the API means, the headers that come with it, and the OpenAPI
response objects built from them (shared by openapi.py and openapi_oversight.py)."""

STATUS_MEANINGS = {
    "400": "Malformed JSON: a syntax or encoding error, a duplicate key, absurd nesting.",
    "401": "Missing or invalid X-API-Key.",
    "404": "Unknown client (or, for /api/drift, no drift run yet), or no such path.",
    "405": "Method not allowed on this path; the Allow header lists the allowed ones.",
    "413": "Body over the size limit (8 MB) or batch over 1,000 applications.",
    "415": "Body is not application/json.",
    "422": "Invalid input: unknown field, wrong type or impossible value (named in details).",
    "429": "Rate limit reached (per API key, or per address without one); see Retry-After.",
    "503": "No model loaded, or the database or the rate-limit store unavailable; nothing was "
    "recorded.",
}
HEADERS = {
    "405": {"Allow": {"required": True, "schema": {"type": "string"}}},
    "429": {"Retry-After": {"required": True, "schema": {"type": "string"}}},
}


def ref(name: str) -> dict:
    """A reference to one of the document's component schemas."""
    return {"$ref": f"#/components/schemas/{name}"}


def json_response(schema: dict, description: str, **extra) -> dict:
    """An OpenAPI response with a JSON body."""
    return {
        "description": description,
        "content": {"application/json": {"schema": schema}},
        **extra,
    }


def error_response(status: str, description: str | None = None) -> dict:
    """The exact error schema of this status (app/api/response_schemas.py) and its headers."""
    extra = {"headers": HEADERS[status]} if status in HEADERS else {}
    return json_response(ref(f"Error{status}"), description or STATUS_MEANINGS[status], **extra)
