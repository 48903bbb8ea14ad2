"""Fixtures only the API tests need (the shared ones are in tests/conftest.py)."""

import shutil

import pytest
import sqlalchemy as sa

from app import create_app
from app.config import TestConfig


@pytest.fixture
def app_without_model(tmp_path, app_database_template):
    """The app with MODEL_URI pointing at a directory that holds no model."""
    path = tmp_path / "app.db"
    shutil.copy(app_database_template, path)
    missing = str(tmp_path / "no-model-here")
    settings = {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "MODEL_URI": missing}
    return create_app(type("NoModelConfig", (TestConfig,), settings))


@pytest.fixture
def failing_log(db):
    """A real SQLite trigger that aborts any prediction row for client 424242 (a failed write)."""
    db.session.execute(
        sa.text(
            "CREATE TRIGGER refuse_424242 BEFORE INSERT ON predictions "
            "WHEN NEW.client_id = 424242 BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END"
        )
    )
    db.session.commit()
    return 424242
