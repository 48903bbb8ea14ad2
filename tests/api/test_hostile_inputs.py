"""A hostile corpus of more than 1,000 requests: no 5xx, every 4xx in the error shape, and the
OpenAPI document right about every body it can judge (allowed: scored or 404; forbidden: 4xx).

Built deterministically (no randomness): every application field with wrong types, values just
past its bounds and at them, integers of any length, nesting of any depth, invalid UTF-8, lone
surrogates, duplicate keys, bodies at and over the size limit, odd content types and encodings.
"""

import json

import pytest

from app.services.validation import RULES
from tests.api.contract_tools import assert_answer_documented, body_allowed
from tests.helpers import GOOD_APPLICATION

JSON = "application/json"
WRONG_TYPES = ['"text"', "true", "[]", "{}", "[[1]]", '""', '{"a": 1}', "[1, 2]"]
NUMBERS_PAST = ["1e999", "-1e999", "9" * 400, "-" + "9" * 400, "1e39", "-1e39"]
DEPTHS = [10, 100, 500, 900, 999, 1000, 1001, 5000, 100_000]
BAD_UTF8 = [b"\xff", b"\xc3\x28", b"\xed\xa0\x80", b"\xc0\xaf", b"\xe2\x82", b"\xf4\x90\x80\x80"]
SURROGATES = ["\\ud800", "\\udfff", "\\ud83d", "\\udc00\\ud800"]
SHAPES = [
    "{}",
    '{"client_id": 1, "application": {}}',
    '{"nope": 1}',
    '{"client_ids": []}',
    '{"applications": []}',
    '{"applications": [1, "a", null]}',
    '{"application": []}',
    '{"client_ids": {}}',
    '{"application": {"SALARY": 1}}',
    '{"applications": {}}',
    '{"client_ids": [' + ", ".join(["1"] * 1001) + "]}",
    '{"client_ids": [' + ", ".join(["1"] * 1000) + "]}",
    '{"client_id": 99999999}',
]


def _one(field: str, raw_value: str) -> str:
    return '{"application": {"' + field + '": ' + raw_value + "}}"


def _in(template: str, value: str) -> str:
    """The template with its @ replaced by a raw JSON value."""
    return template.replace("@", value)


def field_bodies():
    """Every application field: wrong types, past its bounds, at its bounds (scored)."""
    for name, rule in RULES.items():
        for value in WRONG_TYPES:
            yield f"{name} = {value}", _one(name, value)
        if rule.kind == "category":
            for value in ['"XNA "', '"' + rule.levels[0].lower() + '"', '"' + "x" * 5000 + '"']:
                yield f"{name} = {value[:20]}", _one(name, value)
            yield f"{name} at a level", _one(name, json.dumps(rule.levels[-1]))
            continue
        for value in NUMBERS_PAST:
            yield f"{name} = {value[:12]}", _one(name, value)
        step = 1 if rule.whole else 1e-9
        for value in (rule.minimum - step, rule.maximum + step):
            yield f"{name} = {value}", _one(name, repr(value))
        for value in (rule.minimum, rule.maximum):
            yield f"{name} at {value}", _one(name, json.dumps(value))
        if not rule.whole:
            continue
        yield f"{name} = 0.5 past whole", _one(name, repr(rule.minimum + 0.5))


def id_bodies():
    """Client ids of every length, in every place an id can go."""
    for digits in (10, 19, 20, 21, 40, 400, 4300, 4301, 10_000):
        number = "9" * digits
        yield f"client_id {digits} digits", _in('{"client_id": @}', number)
        yield f"client_ids {digits} digits", _in('{"client_ids": [1, @]}', number)
        yield f"SK_ID_CURR {digits} digits", _in('{"application": {"SK_ID_CURR": @}}', number)
    for value in ["0", "-1", "2147483648", str(2**63), str(2**64), "1.5", '"1"', "true", "null"]:
        yield f"client_id {value}", _in('{"client_id": @}', value)
        yield f"client_ids [{value}]", _in('{"client_ids": [@]}', value)
        yield f"SK_ID_CURR {value}", _in('{"application": {"SK_ID_CURR": @}}', value)


def nesting_bodies():
    """Arrays and objects nested up to 100,000 deep, at the top and inside a field."""
    for depth in DEPTHS:
        yield f"[ x {depth}", "[" * depth
        yield f"[] x {depth}", "[" * depth + "]" * depth
        yield f"object x {depth}", '{"a":' * depth + "1" + "}" * depth
        yield f"field [] x {depth}", _one("AMT_CREDIT", "[" * depth + "]" * depth)
        yield f"batch [] x {depth}", '{"applications": ' + "[" * depth + "]" * depth + "}"
        yield f"unknown key x {depth}", '{"client": ' + '{"b":' * depth + "0" + "}" * depth + "}"


def text_bodies():
    """Invalid UTF-8, lone surrogates, duplicate keys, JSON's odd literals, wrong shapes."""
    for sequence in BAD_UTF8:
        yield (
            f"bad utf-8 {sequence!r} value",
            b'{"application": {"NAME_CONTRACT_TYPE": "' + (sequence + b'"}}'),
        )
        yield f"bad utf-8 {sequence!r} key", b'{"' + sequence + b'": 1}'
        yield f"bad utf-8 {sequence!r} alone", sequence
    for surrogate in SURROGATES:
        yield f"surrogate {surrogate} value", _one("NAME_CONTRACT_TYPE", f'"{surrogate}"')
        yield f"surrogate {surrogate} field", _in('{"application": {"@": 1}}', surrogate)
        yield f"surrogate {surrogate} key", _in('{"@": 1}', surrogate)
    yield "duplicate top key", '{"client_id": 1, "client_id": 2}'
    yield "duplicate field", '{"application": {"AMT_CREDIT": 1000, "AMT_CREDIT": 2000}}'
    yield "duplicate in batch", '{"applications": [{}, {"FLAG_MOBIL": 1, "FLAG_MOBIL": 1}]}'
    for literal in ["NaN", "Infinity", "-Infinity", "null", "true", "1", '"x"', "[]", "", " "]:
        yield f"literal {literal!r}", literal
        yield f"field literal {literal!r}", _one("AMT_CREDIT", literal or '""')
    yield from ((f"shape {body}", body) for body in SHAPES)


def hostile_bodies():
    """(name, raw body) for every case above."""
    yield from field_bodies()
    yield from id_bodies()
    yield from nesting_bodies()
    yield from text_bodies()


def _refuse_constant(name):
    raise ValueError(f"{name} is not JSON")


def _refuse_duplicates(pairs):
    if len({key for key, _ in pairs}) != len(pairs):
        raise ValueError("duplicate key")
    return dict(pairs)


def expected_statuses(raw) -> set[int]:
    """What JSON itself and the OpenAPI document say the answer must be."""
    try:
        body = json.loads(
            raw, parse_constant=_refuse_constant, object_pairs_hook=_refuse_duplicates
        )
    except ValueError:
        return {400}
    except RecursionError:  # where exactly the parser gives up depends on the stack it runs on
        return {400, 422}
    return {200, 404} if body_allowed(body) else {400, 413, 422}


def check(response, expected: set[int], path="/api/predict", method="POST") -> str | None:
    """None if the answer is right; else what is wrong."""
    if response.status_code >= 500:
        return f"{response.status_code}: {response.get_data(as_text=True)[:200]}"
    if response.status_code not in expected:
        return f"{response.status_code} not in {sorted(expected)}: {response.get_json()}"
    try:
        assert_answer_documented(path, method, response)
    except AssertionError as error:
        return f"not as documented: {error}"[:300]
    return None


@pytest.fixture
def post(client, api_key):
    def send(raw, content_type=JSON):
        data = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw
        headers = {"X-API-Key": api_key}
        return client.post("/api/predict", data=data, content_type=content_type, headers=headers)

    return send


def test_a_thousand_hostile_bodies_get_documented_answers(post):
    corpus = list(hostile_bodies())
    assert len(corpus) >= 1000
    wrong = {}
    statuses = set()
    for name, raw in corpus:
        response = post(raw)
        statuses.add(response.status_code)
        problem = check(response, expected_statuses(raw))
        if problem:
            wrong[name] = problem
    assert not wrong, f"{len(wrong)} of {len(corpus)} wrong; first: {list(wrong.items())[:10]}"
    assert statuses == {200, 400, 404, 413, 422}  # each family reached the answer it should


def test_bodies_at_and_over_the_size_limit(app, post):
    limit = app.config["MAX_CONTENT_LENGTH"]
    body = json.dumps({"application": GOOD_APPLICATION})
    at_limit = body + " " * (limit - len(body))
    assert len(at_limit.encode()) == limit
    assert check(post(at_limit), {200}) is None
    assert check(post(at_limit + " "), {413}) is None
    deep_at_limit = "[" * limit
    assert check(post(deep_at_limit), {400}) is None
    huge_number = '{"client_id": ' + "9" * (limit - 20) + "}"
    assert check(post(huge_number), {400}) is None


@pytest.mark.parametrize(
    ("content_type", "encoding", "expected"),
    [
        ("text/plain", "utf-8", {415}),
        ("application/x-www-form-urlencoded", "utf-8", {415}),
        ("multipart/form-data; boundary=x", "utf-8", {415}),
        ("application/json; charset=utf-8", "utf-8", {200}),
        ("application/json", "utf-16", {200}),
        ("application/json", "utf-32", {200}),
        ("application/json", "utf-8-sig", {200}),
        ("application/vnd.api+json", "utf-8", {200}),
    ],
)
def test_content_types_and_encodings(post, content_type, encoding, expected):
    raw = json.dumps({"application": GOOD_APPLICATION}).encode(encoding)
    assert check(post(raw, content_type), expected) is None


@pytest.mark.parametrize(
    "client_id",
    ["0", "2147483648", str(2**63), str(2**64), "3433205487423340937216", "9" * 400, "99999999"],
)
def test_client_ids_of_any_size_in_the_url_are_404(client, api_key, client_id):
    response = client.get(f"/api/clients/{client_id}", headers={"X-API-Key": api_key})
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] in ("client_not_found", "not_found")
    assert_answer_documented("/api/clients/{client_id}", "GET", response)


@pytest.mark.parametrize("path", ["-1", "1.5", "abc", "%ff", "1e5", "%00", "1%20"])
def test_client_urls_that_are_not_ids_are_404(client, api_key, path):
    response = client.get(f"/api/clients/{path}", headers={"X-API-Key": api_key})
    assert (response.status_code, response.get_json()["error"]["code"]) == (404, "not_found")
