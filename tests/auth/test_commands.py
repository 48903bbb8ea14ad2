"""The `flask users` commands: advisors created with a hashed password, bad input refused."""

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import User
from tests.helpers import ADVISOR


def _users(app):
    with app.app_context():
        return {u.username: u.password_hash for u in db.session.scalars(sa.select(User))}


def test_cli_creates_advisor_with_hashed_password(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "create", "marie", "--password", "s3cret-pass"])
    assert result.exit_code == 0, result.output
    assert result.output == "Advisor 'marie' created.\n"
    stored = _users(app)["marie"]
    assert stored != "s3cret-pass" and stored.startswith(("scrypt:", "pbkdf2:"))
    client = app.test_client()
    ok = client.post("/auth/sign-in", data={"username": "marie", "password": "s3cret-pass"})
    assert ok.status_code == 302


def test_cli_reads_password_from_stdin(app):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["users", "create", "paul", "--password-stdin"], input="from-stdin-pw\n"
    )
    assert result.exit_code == 0, result.output
    client = app.test_client()
    ok = client.post("/auth/sign-in", data={"username": "paul", "password": "from-stdin-pw"})
    assert ok.status_code == 302


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["users", "create", ADVISOR, "--password", "long-enough"],
            "username: 'advisor' already exists",
        ),
        (
            ["users", "create", "x", "--password", "short"],
            "password: must be at least 8 characters",
        ),
        (["users", "create", "x"], "give exactly one of --password or --password-stdin"),
    ],
)
def test_cli_rejects_bad_accounts(app, args, message):
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code != 0
    assert message in result.output


def test_cli_exist_ok_is_idempotent(app):
    args = ["users", "create", ADVISOR, "--password", "whatever-123", "--exist-ok"]
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 0
    assert result.output == "Advisor 'advisor' already exists.\n"
