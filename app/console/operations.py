"""What the API console offers: every operation of /api/openapi.json with its ready examples,
and the curl and Python equivalents of each, the key left as a placeholder.

Everything here is read from the OpenAPI document (app/api/openapi.py), which takes its rules
from the application rulebook: an operation, an example or a path parameter added there appears
in the console without touching it.
"""

import functools
import json
import pprint
import re
import shlex
from dataclasses import dataclass

from app.api import openapi_document

# The placeholder of the snippets: a key belongs in the environment, never in code.
KEY_VARIABLE = "API_KEY"
# Path parameters are sent as typed, but only in a shape that cannot leave their path segment.
PARAMETER_SHAPES = {
    "integer": re.compile(r"[0-9]{1,12}"),
    "string": re.compile(r"[A-Za-z0-9._~-]{1,64}"),
}


@dataclass(frozen=True)
class Example:
    """A ready request body; `status` is what a refused example gets (None: a valid one)."""

    name: str
    summary: str
    value: object
    status: int | None = None

    @property
    def body(self) -> str:
        """The body as the console's text box shows it (and sends it, unless edited)."""
        return json.dumps(self.value, indent=2, ensure_ascii=False)


@dataclass(frozen=True)
class Parameter:
    """A path parameter, with the document's example value."""

    name: str
    kind: str  # "integer" or "string"
    example: str

    def accepts(self, value: str) -> bool:
        return bool(PARAMETER_SHAPES[self.kind].fullmatch(value))


@dataclass(frozen=True)
class Operation:
    operation_id: str
    method: str  # "GET", "POST"
    path: str  # as documented: /api/clients/{client_id}
    summary: str
    secured: bool
    parameters: tuple[Parameter, ...]
    examples: tuple[Example, ...]

    @property
    def has_body(self) -> bool:
        return self.method == "POST"

    def example(self, name: str | None) -> Example | None:
        """The example called `name`, else the first one (None when there are none)."""
        chosen = [e for e in self.examples if e.name == name]
        return (chosen or list(self.examples) or [None])[0]

    def url_path(self, values: dict[str, str]) -> str:
        """The path with its parameters filled in (values already checked by `accepts`)."""
        path = self.path
        for parameter in self.parameters:
            path = path.replace(f"{{{parameter.name}}}", values[parameter.name])
        return path


def _examples(operation: dict) -> tuple[Example, ...]:
    content = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
    valid = [
        Example(name, example["summary"], example["value"])
        for name, example in content.get("examples", {}).items()
    ]
    refused = [
        Example(name, example["summary"], example["value"], example["x-status"])
        for name, example in content.get("x-refused-examples", {}).items()
    ]
    return tuple(valid + refused)


def _parameters(operation: dict) -> tuple[Parameter, ...]:
    return tuple(
        Parameter(
            p["name"],
            "integer" if p["schema"].get("type") == "integer" else "string",
            str(p.get("example", "")),
        )
        for p in operation.get("parameters", ())
        if p["in"] == "path"
    )


@functools.cache
def console_operations() -> tuple[Operation, ...]:
    """Every operation of the document, in its order (cached: the document never changes)."""
    return tuple(
        Operation(
            operation_id=operation["operationId"],
            method=method.upper(),
            path=path,
            summary=operation["summary"],
            secured=bool(operation.get("security")),
            parameters=_parameters(operation),
            examples=_examples(operation),
        )
        for path, methods in openapi_document()["paths"].items()
        for method, operation in methods.items()
    )


def find_operation(operation_id: str | None) -> Operation | None:
    found = [op for op in console_operations() if op.operation_id == operation_id]
    return found[0] if found else None


@dataclass(frozen=True)
class Snippets:
    curl: str
    python: str


def snippets(operation: Operation, example: Example | None, base_url: str) -> Snippets:
    """The curl and Python (requests) equivalents of sending `example` to `operation`."""
    values = {p.name: p.example for p in operation.parameters}
    url = base_url.rstrip("/") + operation.url_path(values)
    return Snippets(_curl(operation, example, url), _python(operation, example, url))


def _curl(operation: Operation, example: Example | None, url: str) -> str:
    lines = [f"curl -sS -X {operation.method} {shlex.quote(url)}"]
    if operation.secured:
        lines.append(f'-H "X-API-Key: ${KEY_VARIABLE}"')
    if operation.has_body and example is not None:
        lines.append("-H 'Content-Type: application/json'")
        lines.append(f"--data {shlex.quote(json.dumps(example.value, ensure_ascii=False))}")
    return " \\\n  ".join(lines)


def _python(operation: Operation, example: Example | None, url: str) -> str:
    arguments = [repr(url)]
    if operation.secured:
        arguments.append(f'headers={{"X-API-Key": os.environ["{KEY_VARIABLE}"]}}')
    if operation.has_body and example is not None:
        literal = pprint.pformat(example.value, width=84, sort_dicts=False)
        arguments.append("json=" + literal.replace("\n", "\n    "))
    arguments.append("timeout=30")
    call = ",\n    ".join(arguments)
    imports = "import os\n\n" if operation.secured else ""
    return (
        f"{imports}import requests\n\n"
        f"response = requests.{operation.method.lower()}(\n    {call},\n)\n"
        "print(response.status_code, response.headers.get('X-Request-ID'))\n"
        "print(response.json())"
    )
