"""Configuration from the environment, and the flask commands."""

import pytest
import sqlalchemy as sa

from app import create_app
from app.auth.api_keys import hash_key
from app.config import ConfigError, ProductionConfig, settings_from_environment
from app.models import ApiKey, Client


def test_production_refuses_to_start_without_secret_key(monkeypatch):
    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", None)
    with pytest.raises(RuntimeError, match="SECRET_KEY is not set"):
        create_app(ProductionConfig)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u:p@h:5432/d", "postgresql+psycopg://u:p@h:5432/d"),
        ("postgresql://u:p@h/d", "postgresql+psycopg://u:p@h/d"),
        ("sqlite:////tmp/x.db", "sqlite:////tmp/x.db"),
    ],
)
def test_database_url_from_environment(given, expected):
    settings = settings_from_environment({"DATABASE_URL": given})
    assert settings["SQLALCHEMY_DATABASE_URI"] == expected


def test_without_database_url_the_database_is_sqlite_in_instance(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app({"SQLALCHEMY_DATABASE_URI": None})
    expected = "sqlite:///" + str(app.instance_path) + "/app.db"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == expected


@pytest.mark.parametrize(
    ("name", "value", "rule"),
    [
        ("RATELIMIT_ENABLED", "yes", "RATELIMIT_ENABLED must be 0 or 1, got 'yes'"),
        ("PROXY_FIX_X_FOR", "-1", "PROXY_FIX_X_FOR must be a whole number, got '-1'"),
        ("DRIFT_ALERT_SHARE", "2", "DRIFT_ALERT_SHARE must be a number between 0 and 1"),
        ("DEFAULT_LANGUAGE", "de", "DEFAULT_LANGUAGE must be en or fr, got 'de'"),
    ],
)
def test_a_malformed_setting_is_refused_by_name(name, value, rule):
    with pytest.raises(ConfigError) as caught:
        settings_from_environment({name: value})
    assert rule in str(caught.value)


def test_app_env_accepts_only_the_three_environments(monkeypatch):
    monkeypatch.setenv("APP_ENV", "staging")
    with pytest.raises(ConfigError, match="APP_ENV must be one of development, testing, prod"):
        create_app()


def test_sqlite_runs_in_wal_mode_with_busy_timeout(db):
    assert db.session.execute(sa.text("PRAGMA journal_mode")).scalar() == "wal"
    assert db.session.execute(sa.text("PRAGMA busy_timeout")).scalar() == 15000


def test_api_key_create_prints_key_last_and_stores_only_its_hash(runner, db):
    result = runner.invoke(args=["api-keys", "create", "origination"])
    assert result.exit_code == 0
    key = result.output.strip().splitlines()[-1]
    assert len(key) >= 40
    stored = db.session.scalars(sa.select(ApiKey).where(ApiKey.name == "origination")).one()
    assert stored.key_hash == hash_key(key) and key not in stored.key_hash


def test_revoking_an_unknown_key_fails_cleanly(runner):
    result = runner.invoke(args=["api-keys", "revoke", "nobody"])
    assert result.exit_code == 1
    assert "No active API key named 'nobody'" in result.output


def test_clients_load_is_idempotent(runner, db, demo_data_dir):
    counts = db.session.execute(
        sa.select(Client.is_training, sa.func.count()).group_by(Client.is_training)
    ).all()
    n_test, n_train = dict(counts)[False], dict(counts)[True]
    result = runner.invoke(args=["clients", "load", str(demo_data_dir)])
    assert result.exit_code == 0, result.output
    assert f"application_test: 0 inserted, {n_test} updated" in result.output
    assert f"application_train: 0 inserted, {n_train} updated" in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Client)) == n_test + n_train
    training_row = db.session.scalars(sa.select(Client).where(Client.is_training)).first()
    assert training_row.target in (0, 1) and "TARGET" not in training_row.application


def test_clients_load_bad_directory_exits_1_with_the_data_error(runner, tmp_path):
    (tmp_path / "application_train.csv").write_text("SK_ID_CURR,TARGET\n1,0\n")
    result = runner.invoke(args=["clients", "load", str(tmp_path)])
    assert result.exit_code == 1
    assert "application_train.csv: required column" in result.output
    assert "Traceback" not in result.output
    missing = runner.invoke(args=["clients", "load", str(tmp_path / "absent")])
    assert missing.exit_code == 1 and "data directory not found" in missing.output
