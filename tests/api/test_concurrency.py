"""50 concurrent clients against gunicorn with 2 workers: no error, no lost prediction row."""

import shutil

import pytest
import sqlalchemy as sa

from tests.api.concurrency_tools import hammer, start_server, stop_server
from tests.helpers import free_port

CLIENTS = 50
DURATION_S = 5.0  # the 20 s run is in benchmarks/bench_api.py
ADD_KEY = "INSERT INTO api_keys (name, key_hash, created_at) VALUES ('load', :hash, :now)"
CLIENT_IDS = 'SELECT "SK_ID_CURR" FROM clients LIMIT 200'
API_ROWS = "SELECT id FROM predictions WHERE source = 'api'"


@pytest.mark.slow
def test_fifty_concurrent_clients_lose_nothing(tmp_path, database_template, model_settings):
    from app.auth.api_keys import hash_key

    database_path = tmp_path / "app.db"
    shutil.copy(database_template, database_path)
    engine = sa.create_engine(f"sqlite:///{database_path}")
    with engine.begin() as connection:
        connection.execute(sa.text(ADD_KEY), {"hash": hash_key("load-key"), "now": "2026-01-01"})
        client_ids = connection.execute(sa.text(CLIENT_IDS)).scalars().all()
    port = free_port()
    server = start_server(database_path, model_settings, port)
    try:
        url = f"http://127.0.0.1:{port}/api/predict"
        successes, failures = hammer(url, "load-key", client_ids, DURATION_S, CLIENTS)
    finally:
        stop_server(server)
    assert failures == []
    assert len(successes) > CLIENTS
    with engine.connect() as connection:
        logged = connection.execute(sa.text(API_ROWS)).scalars().all()
    engine.dispose()
    assert sorted(logged) == sorted(successes)
