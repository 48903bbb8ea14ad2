"""Decisions, outcomes and performance on a real PostgreSQL: migration 0004, its checks, a demo."""

import pytest

from tests.postgres_fixtures import fresh_database

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def test_the_demo_on_postgres(postgres_url, make_app, trained_model, tmp_path):
    import sqlalchemy as sa
    from flask_migrate import downgrade, upgrade
    from sqlalchemy.exc import IntegrityError

    from app.auth.api_keys import create_key
    from app.extensions import db
    from app.models import Decision
    from app.services.clients import load_clients

    app = make_app(SQLALCHEMY_DATABASE_URI=fresh_database(postgres_url, "oversight_tests"))
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
