"""drift_runs on a real PostgreSQL: the migration, a stored run, the API and the report."""

import gzip

import pytest

from tests.monitoring.helpers import REPORT_HTML, SHIFTED, store_run
from tests.postgres_fixtures import fresh_database

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def test_drift_runs_round_trip_on_postgres(postgres_url, make_app):
    import sqlalchemy as sa
    from flask_migrate import downgrade, upgrade

    from app.auth.api_keys import create_key
    from app.extensions import db
    from app.monitoring import runs

    url = fresh_database(postgres_url, "drift_tests")
    app = make_app(SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        upgrade()
        key = create_key("drift-postgres")
    try:
        store_run(app, SHIFTED)
        body = app.test_client().get("/api/drift", headers={"X-API-Key": key}).get_json()
        assert body["drifted_columns"] == ["EXT_SOURCE_3", "DAYS_BIRTH"]
        assert body["created_at"] == "2026-11-20T09:30:00+00:00"
        with app.app_context():
            assert gzip.decompress(runs.report_html(body["id"])).decode() == REPORT_HTML
    finally:
        with app.app_context():
            db.session.remove()
            downgrade(revision="base")
            assert sa.inspect(db.engine).get_table_names() == ["alembic_version"]
            db.engine.dispose()
