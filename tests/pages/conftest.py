"""A live dashboard (werkzeug in a thread) for the browser tests."""

import shutil

import pytest

from tests.pages.fixtures import make_app
from tests.playwright_fixtures import served


@pytest.fixture(scope="session")
def live_server(tmp_path_factory, pages_database, model_source):
    """The app on a free port of 127.0.0.1 for the whole session; yields its base URL."""
    path = tmp_path_factory.mktemp("live") / "app.db"
    shutil.copy(pages_database, path)
    app = make_app(path, model_source)
    with served(app) as base_url:
        yield base_url


@pytest.fixture(scope="session")
def demo_ids_live(live_server, pages_database, model_source):
    """An accepted and a refused stored client (scored once, without logging)."""
    import sqlalchemy as sa

    from app.extensions import db
    from app.models import Client
    from app.services import scoring
    from app.services.clients import require_clients

    app = make_app(pages_database, model_source)
    with app.app_context():
        ids = list(
            db.session.scalars(
                sa.select(Client.sk_id_curr).where(Client.is_training.is_(False)).limit(200)
            )
        )
        clients = [scoring.Application.of(c) for c in require_clients(ids)]
        scores = scoring.score_applications(clients)
        db.session.remove()
    return {
        "accepted": next(s.client_id for s in scores if s.decision == "accepted"),
        "refused": next(s.client_id for s in scores if s.decision == "refused"),
    }
