"""Fixtures for the deploy tests: a dyno-like environment."""

import os

import pytest

from tests.deploy.helpers import BIN
from tests.helpers import free_port


@pytest.fixture
def dyno_env(tmp_path):
    """Build the environment of a Heroku dyno (DYNO set, so production); None removes a name."""

    def build(**overrides) -> dict:
        env = {
            "PATH": f"{BIN}:{os.environ['PATH']}",
            "HOME": str(tmp_path),
            "DYNO": "web.1",
            "PORT": str(free_port()),
            "SECRET_KEY": "a-production-secret",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.db'}",
            "MODEL_URI": str(tmp_path / "no-model"),
        }
        env.update(overrides)
        return {name: value for name, value in env.items() if value is not None}

    return build
