"""Security headers, rate limits and production cookies (app/security.py, ProductionConfig)."""

import pytest

from app.security import CONTENT_SECURITY_POLICY, SANDBOXED_REPORT_POLICY

NO_MODEL = {"MODEL_URI": "/nonexistent/model"}


def test_pages_and_api_carry_the_security_headers(make_app):
    client = make_app(**NO_MODEL).test_client()
    for path in ("/auth/sign-in", "/api/openapi.json"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Referrer-Policy"] == "same-origin"
        assert "Strict-Transport-Security" not in response.headers  # plain HTTP, not production
    policy = dict(part.split(" ", 1) for part in CONTENT_SECURITY_POLICY.split("; "))
    assert policy["frame-ancestors"] == "'none'"
    assert policy["script-src"] == "'self'"  # no 'unsafe-eval', no inline scripts


def test_evidently_report_endpoint_gets_the_sandboxed_policy(make_app):
    app = make_app(**NO_MODEL, CSP_SANDBOXED_ENDPOINTS=("report_probe",))
    app.add_url_rule("/report-probe", "report_probe", lambda: "<p>report</p>")
    response = app.test_client().get("/report-probe")
    assert response.headers["Content-Security-Policy"] == SANDBOXED_REPORT_POLICY
    assert SANDBOXED_REPORT_POLICY.startswith("sandbox allow-scripts ")
    assert "allow-same-origin" not in SANDBOXED_REPORT_POLICY


def test_rate_limits_are_off_by_default_under_testing(make_app):
    app = make_app(**NO_MODEL, RATELIMIT_API="1 per minute")
    client = app.test_client()
    assert app.config["RATELIMIT_ENABLED"] is False
    assert [client.get("/api/openapi.json").status_code for _ in range(3)] == [200, 200, 200]


def test_api_rate_limit_answers_429_json_across_all_of_api(make_app):
    app = make_app(**NO_MODEL, RATELIMIT_ENABLED=True, RATELIMIT_API="2 per minute")
    client = app.test_client()
    assert client.get("/api/openapi.json").status_code == 200
    assert client.get("/api/docs").status_code == 200
    response = client.get("/api/openapi.json")  # third call on /api from this address
    assert response.status_code == 429
    assert response.get_json() == {
        "error": {"code": "too_many_requests", "message": "2 per 1 minute", "details": {}}
    }
    assert 0 < int(response.headers["Retry-After"]) <= 60
    assert response.headers["X-RateLimit-Limit"] == "2"
    # Pages are not under the API limit.
    assert client.get("/auth/sign-in").status_code == 200


def test_sign_in_post_is_rate_limited_but_the_form_is_not(make_app):
    app = make_app(**NO_MODEL, RATELIMIT_ENABLED=True, RATELIMIT_SIGN_IN="2 per minute")
    client = app.test_client()
    form = {"username": "nobody", "password": "wrong-password"}
    statuses = [client.post("/auth/sign-in", data=form).status_code for _ in range(3)]
    assert statuses[2] == 429
    assert statuses[:2] != [429, 429]
    assert [client.get("/auth/sign-in").status_code for _ in range(3)] == [200, 200, 200]


@pytest.fixture
def production_app(monkeypatch, make_app):
    """ProductionConfig (APP_ENV=production) on its own copy of the template database."""
    monkeypatch.setenv("APP_ENV", "production")
    app = make_app(
        **NO_MODEL,
        SECRET_KEY="a-production-secret",
        RATELIMIT_ENABLED=True,
        RATELIMIT_API="1 per minute",
    )
    assert app.config["ENV_NAME"] == "production"
    return app


def test_production_cookies_are_secure_httponly_lax(production_app):
    response = production_app.test_client().get(
        "/auth/sign-in", headers={"X-Forwarded-Proto": "https"}
    )
    assert response.status_code == 200
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("session=")
    assert {"Secure", "HttpOnly", "SameSite=Lax"} <= {part.strip() for part in cookie.split(";")}
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_production_limits_each_client_behind_the_heroku_router(production_app):
    """Heroku's router appends the client's address to X-Forwarded-For; that is the key."""
    client = production_app.test_client()

    def status_for(address):
        headers = {"X-Forwarded-For": address, "X-Forwarded-Proto": "https"}
        return client.get("/api/openapi.json", headers=headers).status_code

    assert [status_for("203.0.113.7"), status_for("203.0.113.7")] == [200, 429]
    assert status_for("198.51.100.4") == 200
    # A client cannot dodge the limit by sending its own X-Forwarded-For in front.
    assert status_for("10.9.9.9, 203.0.113.7") == 429
