"""Decisions, outcomes and performance on a real PostgreSQL: migration 0004, its checks, a demo."""

import pytest

from tests.app.conftest import postgres_url  # noqa: F401  (session fixture: a real server)
from tests.monitoring.test_drift_postgres import database_url_for

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def test_the_demo_on_postgres(postgres_url, trained_model, tmp_path):  # noqa: F811
    import sqlalchemy as sa
    from flask_migrate import downgrade, upgrade
    from sqlalchemy.exc import IntegrityError

    from app import create_app
    from app.auth.api_keys import create_key
    from app.config import TestConfig
    from app.extensions import db
    from app.models import Decision
    from app.services.clients import load_clients

    server = sa.create_engine(
        database_url_for(postgres_url, "credit"), isolation_level="AUTOCOMMIT"
    )
    with server.connect() as connection:
        connection.execute(sa.text("DROP DATABASE IF EXISTS oversight_tests"))
        connection.execute(sa.text("CREATE DATABASE oversight_tests"))
    server.dispose()
    settings = {
        "SQLALCHEMY_DATABASE_URI": database_url_for(postgres_url, "oversight_tests"),
        "MODEL_URI": trained_model.model_uri,
        "MLFLOW_TRACKING_URI": trained_model.tracking_uri,
        "RATELIMIT_ENABLED": False,
    }
    app = create_app(type("OversightPostgresConfig", (TestConfig,), settings))
    with app.app_context():
        upgrade()
        load_clients(trained_model.data_dir)
        key = create_key("oversight-postgres")
    try:
        runner = app.test_cli_runner()
        outcomes = tmp_path / "outcomes.csv"
        for args in (
            ["outcomes", "demo", str(trained_model.data_dir), str(outcomes)],
            ["outcomes", "load", str(outcomes)],
            ["outcomes", "load", str(outcomes)],
            ["performance", "run"],
        ):
            result = runner.invoke(args=args)
            assert result.exit_code == 0, (args, result.output)
        assert "0 new, 0 replaced" in runner.invoke(args=["outcomes", "load", str(outcomes)]).output
        body = app.test_client().get("/api/performance", headers={"X-API-Key": key}).get_json()
        assert abs(body["auc"] - trained_model.result.metrics["auc"]) < 0.03
        assert body["n_labelled"] == trained_model.model.report["n_test"]

        with app.app_context():
            decision = db.session.scalars(sa.select(Decision).where(Decision.overridden)).first()
            # The checks of migration 0004 hold on PostgreSQL too.
            bad = Decision(
                prediction_id=decision.prediction_id,
                client_id=decision.client_id,
                advisor="script",
                model_decision=decision.model_decision,
                final_decision=decision.final_decision,
                overridden=False,  # but the decisions differ
            )
            db.session.add(bad)
            with pytest.raises(IntegrityError, match="ck_decisions_overridden"):
                db.session.commit()
            db.session.rollback()
    finally:
        with app.app_context():
            db.session.remove()
            downgrade(revision="0002")
            tables = set(sa.inspect(db.engine).get_table_names())
            assert not tables & {"decisions", "outcomes", "outcome_loads", "performance_runs"}
            downgrade(revision="base")
            db.engine.dispose()
