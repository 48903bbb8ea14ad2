"""The migrations match the models: `flask db check` is clean on SQLite and on PostgreSQL."""

import pytest

from tests.postgres_fixtures import fresh_database


def migrated_then_checked(make_app, database_uri: str):
    app = make_app(SQLALCHEMY_DATABASE_URI=database_uri, MODEL_URI="not-needed")
    runner = app.test_cli_runner()
    upgraded = runner.invoke(args=["db", "upgrade"])
    assert upgraded.exit_code == 0, upgraded.output
    checked = runner.invoke(args=["db", "check"])
    with app.app_context():
        from app.extensions import db

        db.engine.dispose()
    return checked


def test_db_check_is_clean_on_sqlite(make_app, tmp_path):
    checked = migrated_then_checked(make_app, f"sqlite:///{tmp_path / 'app.db'}")
    assert checked.exit_code == 0, checked.output


@pytest.mark.postgres
def test_db_check_is_clean_on_postgresql(make_app, postgres_url):
    checked = migrated_then_checked(make_app, fresh_database(postgres_url, "migration_check"))
    assert checked.exit_code == 0, checked.output


def test_0003_starts_new_client_ids_past_clients_saved_before_it(make_app, tmp_path):
    """Clients saved by the old max + 1 rule keep their ids; the next one comes after them."""
    import flask_migrate
    import sqlalchemy as sa

    from app.extensions import db
    from app.models import Client
    from app.services.dashboard import save_new_client

    app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'app.db'}", MODEL_URI="none")
    with app.app_context():
        flask_migrate.upgrade(revision="0002")
        for client_id in (100_001, 900_000_000, 900_000_001):
            db.session.execute(
                sa.text(
                    'INSERT INTO clients ("SK_ID_CURR", application, history, is_training, '
                    "updated_at) VALUES (:id, '{}', '{}', 0, CURRENT_TIMESTAMP)"
                ),
                {"id": client_id},
            )
        db.session.commit()
        flask_migrate.upgrade()
        assert save_new_client({"AMT_CREDIT": 1000.0}).sk_id_curr == 900_000_002
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Client)) == 4
        db.engine.dispose()
