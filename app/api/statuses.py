"""What each HTTP status of the API means, and the headers that come with it (OpenAPI)."""

STATUS_MEANINGS = {
    "400": "Malformed JSON: a syntax or encoding error, a duplicate key, absurd nesting.",
    "401": "Missing or invalid X-API-Key.",
    "404": "Unknown client (or, for /api/drift, no drift run yet), or no such path.",
    "405": "Method not allowed on this path; the Allow header lists the allowed ones.",
    "413": "Body over the size limit (8 MB) or batch over 1,000 applications.",
    "415": "Body is not application/json.",
    "422": "Invalid input: unknown field, wrong type or impossible value (named in details).",
    "429": "Rate limit reached (per API key, or per address without one); see Retry-After.",
    "503": "No model loaded or database unavailable; nothing was recorded.",
}
HEADERS = {
    "405": {"Allow": {"required": True, "schema": {"type": "string"}}},
    "429": {"Retry-After": {"required": True, "schema": {"type": "string"}}},
}
