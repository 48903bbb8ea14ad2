"""Advisor sessions can be ended: signing out, a new password or `flask users disable` end every
copy of the session cookie; a session also ends after SESSION_IDLE_MINUTES without a request.
"""

import time

import pytest
from itsdangerous import TimestampSigner

from app.auth.accounts import set_password
from app.config import ConfigError, settings_from_environment
from tests.helpers import ADVISOR, PASSWORD


def stolen_copy(app, advisor):
    """Another browser (or an attacker) holding the same session cookie as `advisor`."""
    copy = app.test_client()
    copy.set_cookie("session", advisor.get_cookie("session").value)
    assert copy.get("/").status_code == 200  # the copy works while the session lives
    return copy


def signed_out(client) -> bool:
    response = client.get("/")
    return response.status_code == 302 and "/auth/sign-in" in response.headers["Location"]


def test_signing_out_ends_every_copy_of_the_cookie(app, advisor):
    copy = stolen_copy(app, advisor)
    assert advisor.post("/auth/sign-out").status_code == 302
    assert signed_out(advisor)
    assert signed_out(copy)


def test_a_new_password_ends_the_sessions(app, advisor):
    copy = stolen_copy(app, advisor)
    with app.app_context():
        set_password(ADVISOR, "another long password")
    assert signed_out(advisor) and signed_out(copy)


def test_disabling_an_advisor_ends_the_sessions_and_refuses_sign_in(app, advisor):
    copy = stolen_copy(app, advisor)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "disable", ADVISOR])
    assert result.exit_code == 0, result.output
    assert "sessions have ended" in result.output
    assert signed_out(advisor) and signed_out(copy)
    form = {"username": ADVISOR, "password": PASSWORD}
    assert app.test_client().post("/auth/sign-in", data=form).status_code == 401
    assert runner.invoke(args=["users", "enable", ADVISOR]).exit_code == 0
    assert app.test_client().post("/auth/sign-in", data=form).status_code == 302
    unknown = runner.invoke(args=["users", "disable", "nobody"])
    assert unknown.exit_code == 1 and "no advisor named 'nobody'" in unknown.output


def at(monkeypatch, seconds_from_now: float) -> None:
    """Make the session signer believe this much time has passed."""
    moment = int(time.time() + seconds_from_now)
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: moment)


def test_a_session_ends_after_30_idle_minutes(app, advisor, monkeypatch):
    assert app.config["SESSION_IDLE_MINUTES"] == 30
    at(monkeypatch, 25 * 60)  # a request within the idle time keeps (and renews) the session
    assert advisor.get("/").status_code == 200
    at(monkeypatch, 50 * 60)  # 50 minutes after signing in, 25 after the last request
    assert advisor.get("/").status_code == 200
    at(monkeypatch, 85 * 60)  # then 35 minutes without a request
    assert signed_out(advisor)


def test_the_idle_time_is_a_setting():
    assert settings_from_environment({"SESSION_IDLE_MINUTES": "15"}) == {"SESSION_IDLE_MINUTES": 15}
    with pytest.raises(ConfigError, match="SESSION_IDLE_MINUTES must be at least 1"):
        settings_from_environment({"SESSION_IDLE_MINUTES": "0"})
