"""The API's own OpenAPI document as a test oracle: which bodies it allows, which answers fit."""

import functools

from jsonschema import Draft202012Validator

from app.api.openapi import openapi_document


@functools.cache
def _validator(schema_name: str | None = None, path: str | None = None) -> Draft202012Validator:
    document = openapi_document()
    if path is not None:
        content = document["paths"][path]["post"]["requestBody"]["content"]
        schema = content["application/json"]["schema"]
    else:
        schema = {"$ref": f"#/components/schemas/{schema_name}"}
    # $refs point into the document, so the document is the root they resolve against.
    return Draft202012Validator({**schema, "components": document["components"]})


def body_allowed(body) -> bool:
    """Does /api/openapi.json allow this POST /api/predict body?"""
    return _validator(path="/api/predict").is_valid(body)


def schema_errors(instance, schema_name: str) -> list[str]:
    """Why `instance` does not fit components.schemas[schema_name] (empty when it fits)."""
    return [error.message for error in _validator(schema_name).iter_errors(instance)]


def matching_branches(instance, schema_names: list[str]) -> list[str]:
    """Which of these schemas the instance fits (a oneOf must fit exactly one)."""
    return [name for name in schema_names if _validator(name).is_valid(instance)]


def assert_answer_documented(path: str, method: str, response) -> None:
    """The status is listed for the operation and the body fits that status's schema."""
    operation = openapi_document()["paths"][path][method.lower()]
    status = str(response.status_code)
    assert status in operation["responses"], f"{method} {path} answered undocumented {status}"
    schema = operation["responses"][status]["content"]["application/json"]["schema"]
    body = response.get_json()
    if "oneOf" in schema:
        names = [branch["$ref"].rsplit("/", 1)[-1] for branch in schema["oneOf"]]
        assert len(matching_branches(body, names)) == 1, (names, body)
    else:
        name = schema["$ref"].rsplit("/", 1)[-1]
        assert schema_errors(body, name) == [], (status, body)
    for header in operation["responses"][status].get("headers", {}):
        assert header in response.headers, f"{status} without {header}"
