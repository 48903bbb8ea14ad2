"""Drift runs end to end: the `flask drift run` command, its sources, what it stores."""

import gzip
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.models import Client, DriftRun, Prediction, utcnow
from app.monitoring import sources
from training.synthetic import SHIFTED_COLUMNS


def stored_runs(db):
    return db.session.scalars(sa.select(DriftRun).order_by(DriftRun.id)).all()


def log_predictions(db, trained_model, count, age):
    """`count` real prediction-log rows, `age` old, for demo applicants scored by the model."""
    from training.dataset import load_applications

    rows = load_applications(trained_model.data_dir / "application_train.csv").head(count)
    rows = rows.drop(columns=["TARGET"])
    probabilities = trained_model.model.predict_proba(rows)
    when = utcnow() - age
    for (_, row), probability in zip(rows.iterrows(), probabilities, strict=True):
        fields = {k: (v.item() if hasattr(v, "item") else v) for k, v in row.dropna().items()}
        db.session.add(
            Prediction(
                created_at=when,
                source="api",
                actor="tests",
                client_id=None,
                input=fields,
                probability_of_default=float(probability),
                decision="accepted",
                threshold=0.5,
                model_name="m",
                model_version="1",
                latency_ms=1.0,
            )
        )
    db.session.commit()


def test_monitored_columns_are_model_inputs_by_importance(trained_model):
    model = trained_model.model
    columns = sources.monitored_columns(model, 50)
    assert len(columns) == 50
    assert set(columns) <= set(model.input_columns) & set(model.reference.columns)
    assert not {"SK_ID_CURR", "TARGET", "CODE_GENDER", "NAME_FAMILY_STATUS"} & set(columns)
    candidates = [c for c in model.input_columns if c in model.reference.columns]
    importance = sources.column_importance(model.report, candidates)
    ranked = [importance.get(c, 0.0) for c in columns]
    assert ranked == sorted(ranked, reverse=True)
    assert ranked[0] > 0


@pytest.mark.slow
def test_cli_run_on_a_batch_file_stores_summary_and_report(app, db, trained_model):
    batch = trained_model.data_dir / "application_test.csv"
    result = app.test_cli_runner().invoke(args=["drift", "run", "--current", str(batch)])
    assert result.exit_code == 0, result.output
    [run] = stored_runs(db)
    drifted = [c["column"] for c in run.columns if c["drifted"]]
    assert f"{len(drifted)} of 50 columns drifted" in result.output
    assert (run.source, run.source_detail, run.column_count) == ("file", batch.name, 50)
    assert run.rows == run.rows_compared == sum(1 for _ in batch.open()) - 1
    assert run.rows_reference == len(trained_model.model.reference)
    assert set(SHIFTED_COLUMNS) <= set(drifted)  # all three are among the top 50 and move
    assert run.drifted_count == len(drifted)
    assert run.drift_share == pytest.approx(len(drifted) / 50)
    assert run.model_version == str(trained_model.result.model_version)
    assert run.prediction_drift["column"] == "probability_of_default"
    assert 0.0 < run.mean_probability < 1.0
    html = gzip.decompress(run.report_html_gz).decode()
    assert html.lstrip().lower().startswith("<!doctype html>")


@pytest.mark.slow
def test_window_and_last_take_only_the_chosen_predictions(app, db, trained_model):
    log_predictions(db, trained_model, 150, age=timedelta(days=30))
    log_predictions(db, trained_model, 120, age=timedelta(days=1))
    runner = app.test_cli_runner()
    result = runner.invoke(args=["drift", "run", "--top", "10"])  # default window: 7d
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["drift", "run", "--last", "200", "--top", "10"])
    assert result.exit_code == 0, result.output
    window, last = stored_runs(db)
    assert (window.source, window.source_detail, window.rows) == ("window", "last 7 days", 120)
    assert window.window_end - window.window_start == timedelta(days=7)
    assert (last.source, last.source_detail, last.rows) == ("last", "last 200 predictions", 200)
    # These logged applications carry no credit history: its top columns are listed as skipped.
    assert window.column_count + len(window.skipped_columns) == 10
    assert set(window.skipped_columns.values()) <= {"no values in the current sample"}
    assert window.mean_probability == pytest.approx(
        db.session.scalar(
            sa.select(sa.func.avg(Prediction.probability_of_default)).where(
                Prediction.created_at >= utcnow() - timedelta(days=7)
            )
        )
    )


def test_too_few_rows_in_the_window_makes_no_report(app, db, trained_model):
    log_predictions(db, trained_model, 30, age=timedelta(hours=2))
    result = app.test_cli_runner().invoke(args=["drift", "run", "--window", "24h"])
    assert result.exit_code == 1
    assert "Only 30 rows in last 1 days; at least 100 are needed" in result.output
    assert "No report was made." in result.output
    assert stored_runs(db) == []


def test_empty_log_makes_no_report(app, db):
    result = app.test_cli_runner().invoke(args=["drift", "run", "--last", "500"])
    assert result.exit_code == 1
    assert "Only 0 rows in last 500 predictions" in result.output
    assert stored_runs(db) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--window", "7x"], "--window '7x': expected a positive number followed by m, h, d or w"),
        (["--window", "0d"], "--window '0d': expected a positive number"),
        (["--last", "0"], "--last 0: expected a positive number of predictions"),
        (["--current", "/nowhere/application_test.csv"], "application_test.csv: file not found"),
    ],
)
def test_bad_options_exit_1_with_the_reason(app, db, args, message):
    result = app.test_cli_runner().invoke(args=["drift", "run", *args])
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output


def test_two_sources_at_once_is_a_usage_error(app):
    result = app.test_cli_runner().invoke(args=["drift", "run", "--window", "7d", "--last", "10"])
    assert result.exit_code == 2
    assert "choose one of --current, --window, --last (got --window, --last)" in result.output


def test_known_client_predictions_are_completed_from_the_client_store(db):
    db.session.add(
        Client(
            sk_id_curr=7,
            application={"AMT_CREDIT": 1000.0, "FLAG_OWN_CAR": "Y"},
            history={"BUREAU_LOAN_COUNT": 2.0},
            is_training=False,
        )
    )
    db.session.add(
        Prediction(
            source="api",
            client_id=7,
            input={"AMT_CREDIT": 2000.0},
            probability_of_default=0.2,
            decision="accepted",
            threshold=0.5,
            model_name="m",
            model_version="1",
            latency_ms=1.0,
        )
    )
    db.session.commit()
    sample = sources.from_last(5)
    assert sample.frame.to_dict("records") == [
        {
            "AMT_CREDIT": 2000.0,
            "FLAG_OWN_CAR": "Y",
            "BUREAU_LOAN_COUNT": 2.0,
            "SK_ID_CURR": 7,  # the stored client's fields, as scoring reads them
            "probability_of_default": 0.2,
        }
    ]


def test_migration_downgrade_drops_only_drift_runs(app):
    from flask_migrate import downgrade

    with app.app_context():
        from app.extensions import db

        downgrade(revision="0001")
        tables = set(sa.inspect(db.engine).get_table_names())
    assert "drift_runs" not in tables
    assert {"predictions", "users", "clients", "api_keys"} <= tables
