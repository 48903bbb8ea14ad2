"""Rate limits per API key (each key's own rate), per address without one; a batch counts as
many requests as it has applications; shared between workers through a real Redis server.

Windows start at a key's first request and last an hour here, so no test depends on timing.
"""

import shutil

import pytest
import sqlalchemy as sa

from app.auth.api_keys import create_key
from app.models import ApiKey, Prediction
from tests.helpers import GOOD_APPLICATION, assert_error
from tests.redis_server import redis_server

LIMITED = {"RATELIMIT_ENABLED": True, "RATELIMIT_API": "2 per hour"}


@pytest.fixture(scope="module")
def redis_url():
    with redis_server() as url:
        yield url


@pytest.fixture
def limited_app(make_app, tmp_path, database_template):
    """`limited_app(**settings)`: an app with the limits on; the apps of one test share one
    database, as gunicorn workers (or dynos) do."""
    path = tmp_path / "app.db"
    shutil.copy(database_template, path)

    def build(**settings):
        return make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}", **LIMITED, **settings)

    return build


@pytest.fixture
def limited(limited_app):
    return limited_app()


def keys(app, **rates) -> dict[str, str]:
    with app.app_context():
        return {name: create_key(name, rate) for name, rate in rates.items()}


def drift(client, key):
    return client.get("/api/drift", headers={"X-API-Key": key}).status_code


def test_each_key_has_its_own_rate_and_bucket(limited):
    issued = keys(limited, slow="3 per hour", fast=None)
    client = limited.test_client()  # one address for both keys
    assert [drift(client, issued["slow"]) for _ in range(4)] == [404, 404, 404, 429]
    # The other key, from the same address, is not affected; the default key rate applies.
    assert [drift(client, issued["fast"]) for _ in range(5)] == [404] * 5
    response = client.get("/api/drift", headers={"X-API-Key": issued["slow"]})
    error = assert_error(response, 429, "too_many_requests")
    assert error["details"] == {"limit": "3 per 1 hour", "cost": 1}
    assert 0 < int(response.headers["Retry-After"]) <= 3600
    assert response.headers["X-RateLimit-Limit"] == "3"


def test_a_valid_key_is_not_limited_per_address_but_a_bad_one_is(limited):
    issued = keys(limited, partner=None)
    client = limited.test_client()
    assert [drift(client, issued["partner"]) for _ in range(4)] == [404] * 4  # over "2 per hour"
    assert [drift(client, "guessed-key") for _ in range(3)] == [401, 401, 429]
    assert drift(client, issued["partner"]) == 404
    # Anonymous routes are limited per address too.
    assert [client.get("/api/health").status_code for _ in range(3)] == [200, 200, 429]


def test_a_batch_counts_as_many_requests_as_applications(limited):
    issued = keys(limited, batcher="4 per hour")
    client = limited.test_client()
    headers = {"X-API-Key": issued["batcher"]}
    three = client.post(
        "/api/predict", json={"applications": [GOOD_APPLICATION] * 3}, headers=headers
    )
    assert three.status_code == 200
    assert three.headers["X-RateLimit-Remaining"] == "1"
    two = client.post(
        "/api/predict", json={"applications": [GOOD_APPLICATION] * 2}, headers=headers
    )
    error = assert_error(two, 429, "too_many_requests")
    assert error["details"] == {"limit": "4 per 1 hour", "cost": 2}  # the whole batch's cost
    with limited.app_context():
        from app.extensions import db

        assert db.session.scalar(sa.select(sa.func.count(Prediction.id))) == 3


def test_a_batch_larger_than_the_whole_rate_says_so(limited):
    issued = keys(limited, tiny="2 per hour")
    response = limited.test_client().post(
        "/api/predict",
        json={"applications": [GOOD_APPLICATION] * 3},
        headers={"X-API-Key": issued["tiny"]},
    )
    error = assert_error(response, 429, "too_many_requests")
    assert "send at most 2 at once" in error["message"]


def test_cli_sets_the_rate_at_creation_and_refuses_a_bad_one(limited):
    runner = limited.test_cli_runner()
    result = runner.invoke(args=["api-keys", "create", "origination", "--rate", "600 per minute"])
    assert result.exit_code == 0, result.output
    assert "limited to 600 per minute" in result.output
    with limited.app_context():
        from app.extensions import db

        stored = db.session.scalars(sa.select(ApiKey).where(ApiKey.name == "origination")).one()
        assert stored.rate_limit == "600 per minute"
    bad = runner.invoke(args=["api-keys", "create", "other", "--rate", "often"])
    assert bad.exit_code == 2
    assert "Invalid value for --rate: must be a rate such as '600 per minute'" in bad.output


def test_limits_are_shared_between_workers_through_redis(limited_app, redis_url):
    """Two app instances stand for two gunicorn workers (or two dynos) on one Redis."""
    shared = {"RATELIMIT_STORAGE_URI": redis_url}
    first = limited_app(**shared)
    second = limited_app(**shared)
    issued = keys(first, shared_key="3 per hour")["shared_key"]
    one, two = first.test_client(), second.test_client()
    assert [drift(one, issued), drift(two, issued), drift(one, issued)] == [404, 404, 404]
    assert drift(two, issued) == 429
    assert [drift(two, "wrong"), drift(one, "wrong"), drift(two, "wrong")] == [401, 401, 429]


def test_without_shared_storage_each_worker_counts_alone(limited_app):
    """Why production sets RATELIMIT_STORAGE_URI: memory:// lets each worker allow the rate."""
    first = limited_app()
    second = limited_app()
    issued = keys(first, alone="2 per hour")["alone"]
    one, two = first.test_client(), second.test_client()
    assert [drift(one, issued), drift(one, issued), drift(two, issued)] == [404, 404, 404]


def test_an_unreachable_rate_limit_store_fails_closed_with_a_503(make_app, caplog):
    """Redis down: no call is served uncounted, and no answer is a 500 (issue 15's review)."""
    from tests.api.contract_tools import assert_answer_documented
    from tests.helpers import free_port

    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=f"redis://127.0.0.1:{free_port()}")
    with app.app_context():
        key = create_key("tests")
        logged_before = app.extensions["sqlalchemy"].session.scalar(
            sa.select(sa.func.count(Prediction.id))
        )
    client = app.test_client()
    model = client.get("/api/model")
    assert_error(model, 503, "rate_limit_unavailable")
    assert model.headers["Retry-After"] == "60"
    predict = client.post(
        "/api/predict", json={"application": GOOD_APPLICATION}, headers={"X-API-Key": key}
    )
    assert_error(predict, 503, "rate_limit_unavailable")
    assert_answer_documented("/api/predict", "POST", predict)
    health = client.get("/api/health")
    assert health.status_code == 503
    assert health.get_json()["status"] == "degraded"
    assert health.get_json()["error"]["details"] == {"unavailable": ["rate_limits"]}
    assert_answer_documented("/api/health", "GET", health)
    page = client.post("/auth/sign-in", data={"username": "advisor", "password": "wrong"})
    assert page.status_code == 503 and page.mimetype == "text/html"
    assert "The service is unavailable for a moment" in page.get_data(as_text=True)
    console = client.get("/api/console")
    assert console.status_code == 503 and console.mimetype == "text/html"
    with app.app_context():
        logged = app.extensions["sqlalchemy"].session.scalar(
            sa.select(sa.func.count(Prediction.id))
        )
    assert logged == logged_before  # nothing scored
    assert "Rate-limit store unreachable" in caplog.text
    assert "Unhandled error" not in caplog.text
