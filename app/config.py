"""Configuration classes; secrets and locations come from the environment only."""

import os

DEFAULT_MODEL_URI = "models:/credit-default-risk@champion"


def database_url(instance_path: str) -> str:
    """DATABASE_URL (Heroku's postgres:// rewritten for psycopg 3), else SQLite in instance/."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        return "sqlite:///" + os.path.join(instance_path, "app.db")
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            # psycopg 3 is the installed driver; SQLAlchemy's default for postgresql:// is psycopg2.
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


class Config:
    """Development defaults: a fixed SECRET_KEY is fine on a laptop, never in production."""

    ENV_NAME = "development"
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-secret")
    SQLALCHEMY_DATABASE_URI = None  # filled by create_app from DATABASE_URL / instance path
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    MLFLOW_TRACKING_URI = os.environ.get("MLFLOW_TRACKING_URI")
    MODEL_URI = os.environ.get("MODEL_URI", DEFAULT_MODEL_URI)
    # Load the model when the app starts rather than on the first request (gunicorn workers).
    MODEL_PRELOAD = os.environ.get("MODEL_PRELOAD", "1") == "1"
    SQLITE_BUSY_TIMEOUT_MS = 15000
    MAX_CONTENT_LENGTH = 8 * 1024 * 1024  # 1,000 full applications fit with room to spare
    MAX_BATCH_SIZE = 1000
    JSON_SORT_KEYS = False
    # Packages owned by other parts, registered if they exist: each exposes `init_app(app)`
    # (preferred) or a Blueprint `bp`. The variable lets one part be started alone.
    OPTIONAL_BLUEPRINTS = tuple(
        os.environ.get("OPTIONAL_BLUEPRINTS", "app.auth,app.pages,app.monitoring").split(",")
    )


class TestConfig(Config):
    """Tests: a throwaway database path is passed in by the fixture; no CSRF on test forms."""

    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "test-secret"
    WTF_CSRF_ENABLED = False
    MODEL_PRELOAD = False


class ProductionConfig(Config):
    """Production: SECRET_KEY must come from the environment, or create_app refuses to start."""

    ENV_NAME = "production"
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"


def config_from_environment():
    """APP_ENV picks the class; on Heroku (DYNO is set) the default is production."""
    default = "production" if os.environ.get("DYNO") else "development"
    name = os.environ.get("APP_ENV", default)
    return {"production": ProductionConfig, "testing": TestConfig}.get(name, Config)
