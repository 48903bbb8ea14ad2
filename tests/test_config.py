"""Configuration from the environment (app/config.py) and the SQLite settings of create_app."""

import pytest
import sqlalchemy as sa

from app import create_app
from app.config import ConfigError, ProductionConfig, settings_from_environment


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
