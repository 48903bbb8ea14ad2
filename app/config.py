"""Configuration: one class per environment, and every setting the environment may give.

`load_config(app, config)` is the only place that reads the environment. Precedence: the class's
defaults, then environment variables (parsed and checked here, by name), then the overrides a
caller passes (tests). APP_ENV picks the class: development, testing or production, nothing else.
"""

import os
import secrets
from collections.abc import Callable, Mapping
from datetime import timedelta
from pathlib import Path

from limits import parse as parse_rate

DEFAULT_MODEL_URI = "models:/credit-default-risk@champion"


class ConfigError(RuntimeError):
    """A setting is missing or malformed; the message names it and the rule."""


class Config:
    """Defaults shared by every environment (development uses them as they are)."""

    ENV_NAME = "development"
    SECRET_KEY = None  # development: a random key kept in instance/ (see _secret_key)
    SQLALCHEMY_DATABASE_URI = None  # DATABASE_URL, else SQLite in instance/app.db
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    MLFLOW_TRACKING_URI = None
    MODEL_URI = DEFAULT_MODEL_URI
    SPARK_MASTER = None  # `clients load --engine spark`: the cluster (None: local Spark)
    MAX_CONTENT_LENGTH = 8 * 1024 * 1024  # 1,000 full applications fit with room to spare
    MAX_BATCH_SIZE = 1000  # applications per /api/predict call, and per batch job transaction
    JSON_SORT_KEYS = False

    # Languages of the pages (app/i18n.py); the API stays English.
    DEFAULT_LANGUAGE = "en"  # when neither the advisor nor the browser says
    BABEL_TRANSLATION_DIRECTORIES = "../translations"  # relative to app/
    CHART_CACHE_SIZE = 256  # rendered SVG charts kept per process (app/services/svg.py)

    # Security (app/security.py, app/auth). Limits are per gunicorn worker with memory://; point
    # RATELIMIT_STORAGE_URI at Redis (redis://...) to share them between workers and dynos.
    RATELIMIT_ENABLED = True
    RATELIMIT_HEADERS_ENABLED = True  # X-RateLimit-*, Retry-After
    RATELIMIT_API = "120 per minute"  # per address: anonymous /api routes, bad or missing keys
    RATELIMIT_API_KEY = "1200 per minute"  # per key, for keys created without --rate
    RATELIMIT_SIGN_IN = "10 per minute"  # per address, POST /auth/sign-in
    RATELIMIT_STORAGE_URI = "memory://"
    PROXY_FIX_X_FOR = 0  # proxies in front of the app that set X-Forwarded-*
    FORCE_HTTPS = False  # redirect plain HTTP to HTTPS and send HSTS
    CONTENT_SECURITY_POLICY = None  # None: app.security.CONTENT_SECURITY_POLICY
    CSP_SANDBOXED_ENDPOINTS = ("monitoring.report", "performance.report")
    SESSION_IDLE_MINUTES = 30  # an advisor's session ends after this long without a request
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"

    # Drift monitoring (app/monitoring).
    DRIFT_ALERT_SHARE = 0.3  # banner when this share of monitored columns drifts
    DRIFT_ALERT_TOP_FEATURES = 5  # ... or when one of this many top columns drifts
    DRIFT_DATASET_SHARE = 0.5  # Evidently's "dataset drift" line
    DRIFT_MIN_ROWS = 100  # fewer current rows than this: no run
    DRIFT_TOP_FEATURES = 50
    DRIFT_MAX_ROWS = 20_000  # seeded sample cap on each side
    DRIFT_RANDOM_STATE = 42
    DRIFT_DEFAULT_WINDOW = "7d"

    # Outcomes and performance monitoring (app/monitoring/performance*.py).
    PERFORMANCE_ALERT_MARGIN = 0.05  # banner when realised AUC < the model's test AUC - this
    PERFORMANCE_MIN_LABELLED = 100  # fewer decisions with a known outcome: no run

    @staticmethod
    def check(config: Mapping) -> None:
        """Refuse to start on settings this environment cannot run with."""


class DevelopmentConfig(Config):
    """A developer's machine: SQLite in instance/, a random secret kept there."""


class TestConfig(Config):
    """Tests: each fixture passes its own database; no CSRF on test forms, no rate limits."""

    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "test-secret"
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False


class ProductionConfig(Config):
    """Production (Heroku): secrets and the database come from the environment, or no start."""

    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = True
    PROXY_FIX_X_FOR = 1  # Heroku's router
    FORCE_HTTPS = True

    @staticmethod
    def check(config: Mapping) -> None:
        if not config.get("SECRET_KEY"):
            raise ConfigError("SECRET_KEY is not set: production refuses to start without it.")
        if not config.get("SQLALCHEMY_DATABASE_URI"):
            # A SQLite file on a dyno's ephemeral disk would lose the prediction log.
            raise ConfigError("DATABASE_URL is not set: production refuses to start without it.")


ENVIRONMENTS = {
    "development": DevelopmentConfig,
    "testing": TestConfig,
    "production": ProductionConfig,
}


def _flag(name: str, raw: str) -> bool:
    if raw not in ("0", "1"):
        raise ConfigError(f"{name} must be 0 or 1, got {raw!r}")
    return raw == "1"


def _whole(name: str, raw: str) -> int:
    if not raw.isdigit():
        raise ConfigError(f"{name} must be a whole number, got {raw!r}")
    return int(raw)


def _share(name: str, raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 1:
        raise ConfigError(f"{name} must be a number between 0 and 1, got {raw!r}")
    return value


def _language(name: str, raw: str) -> str:
    if raw not in ("en", "fr"):
        raise ConfigError(f"{name} must be en or fr, got {raw!r}")
    return raw


def _text(name: str, raw: str) -> str:
    if not raw.strip():
        raise ConfigError(f"{name} is set but empty")
    return raw


def check_rate(name: str, raw: str) -> str:
    """A rate limit in Flask-Limiter's words ("600 per minute", "10/second"), else ConfigError."""
    try:
        parse_rate(raw)
    except ValueError:
        raise ConfigError(
            f"{name} must be a rate such as '600 per minute' or '10/second', got {raw!r}"
        ) from None
    return raw


def _positive(name: str, raw: str) -> int:
    value = _whole(name, raw)
    if value < 1:
        raise ConfigError(f"{name} must be at least 1, got {raw!r}")
    return value


def database_url(url: str) -> str:
    """Heroku's postgres:// URL rewritten for psycopg 3 (SQLAlchemy's default is psycopg2)."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


# Every setting the environment may give: variable -> (config key, parser).
FROM_ENVIRONMENT: dict[str, tuple[str, Callable]] = {
    "SECRET_KEY": ("SECRET_KEY", _text),
    "DATABASE_URL": ("SQLALCHEMY_DATABASE_URI", lambda _, raw: database_url(raw)),
    "MLFLOW_TRACKING_URI": ("MLFLOW_TRACKING_URI", _text),
    "MODEL_URI": ("MODEL_URI", _text),
    "SPARK_MASTER": ("SPARK_MASTER", _text),
    "RATELIMIT_ENABLED": ("RATELIMIT_ENABLED", _flag),
    "RATELIMIT_API": ("RATELIMIT_API", check_rate),
    "RATELIMIT_API_KEY": ("RATELIMIT_API_KEY", check_rate),
    "RATELIMIT_SIGN_IN": ("RATELIMIT_SIGN_IN", check_rate),
    "RATELIMIT_STORAGE_URI": ("RATELIMIT_STORAGE_URI", _text),
    "PROXY_FIX_X_FOR": ("PROXY_FIX_X_FOR", _whole),
    "SESSION_IDLE_MINUTES": ("SESSION_IDLE_MINUTES", _positive),
    "CONTENT_SECURITY_POLICY": ("CONTENT_SECURITY_POLICY", _text),
    "DRIFT_ALERT_SHARE": ("DRIFT_ALERT_SHARE", _share),
    "DRIFT_ALERT_TOP_FEATURES": ("DRIFT_ALERT_TOP_FEATURES", _whole),
    "DRIFT_DATASET_SHARE": ("DRIFT_DATASET_SHARE", _share),
    "DRIFT_MIN_ROWS": ("DRIFT_MIN_ROWS", _whole),
    "DRIFT_TOP_FEATURES": ("DRIFT_TOP_FEATURES", _whole),
    "DRIFT_MAX_ROWS": ("DRIFT_MAX_ROWS", _whole),
    "DRIFT_RANDOM_STATE": ("DRIFT_RANDOM_STATE", _whole),
    "DRIFT_DEFAULT_WINDOW": ("DRIFT_DEFAULT_WINDOW", _text),
    "PERFORMANCE_ALERT_MARGIN": ("PERFORMANCE_ALERT_MARGIN", _share),
    "PERFORMANCE_MIN_LABELLED": ("PERFORMANCE_MIN_LABELLED", _whole),
    "DEFAULT_LANGUAGE": ("DEFAULT_LANGUAGE", _language),
    "CHART_CACHE_SIZE": ("CHART_CACHE_SIZE", _whole),
}


def config_class(environ: Mapping[str, str] = os.environ) -> type[Config]:
    """The class APP_ENV names; on Heroku (DYNO is set) the default is production."""
    default = "production" if environ.get("DYNO") else "development"
    name = environ.get("APP_ENV", default)
    if name not in ENVIRONMENTS:
        raise ConfigError(f"APP_ENV must be one of {', '.join(ENVIRONMENTS)}, got {name!r}")
    return ENVIRONMENTS[name]


def settings_from_environment(environ: Mapping[str, str] = os.environ) -> dict:
    """The settings the environment sets, parsed; ConfigError names a malformed one."""
    return {
        key: parse(name, environ[name])
        for name, (key, parse) in FROM_ENVIRONMENT.items()
        if name in environ
    }


def _secret_key(instance_path: str) -> str:
    """Development's secret: random once, then kept in instance/secret_key (git-ignored)."""
    path = Path(instance_path, "secret_key")
    try:
        # Created owner-only from the start: never readable by others, not even for a moment.
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass  # made by an earlier run (or by another worker a moment ago)
    else:
        with os.fdopen(descriptor, "w") as file:
            file.write(secrets.token_hex(32))
    return path.read_text().strip()


def load_config(app, config=None) -> None:
    """Fill `app.config` from a config class or a mapping of overrides (over APP_ENV's class)."""
    chosen = config if isinstance(config, type) else config_class()
    app.config.from_object(chosen)
    app.config.update(settings_from_environment())
    if isinstance(config, Mapping):
        app.config.update(config)
    chosen.check(app.config)
    for name in ("RATELIMIT_API", "RATELIMIT_API_KEY", "RATELIMIT_SIGN_IN"):
        check_rate(name, app.config[name])
    # Flask checks the signed cookie's age on every request and re-signs it (refresh), so this
    # is an idle timeout enforced by the server, not only a hint to the browser.
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(
        minutes=int(app.config["SESSION_IDLE_MINUTES"])
    )
    os.makedirs(app.instance_path, exist_ok=True)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.join(
            app.instance_path, "app.db"
        )
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(app.instance_path)
