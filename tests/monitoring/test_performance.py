"""Outcomes and performance on the demo: the real commands, a migrated database, the real model.

The demo's realised AUC must match the model's own test AUC (same clients, same model), and a
file with the labels flipped must raise the alert, on the API and on the pages.
"""

import csv

import pytest
import sqlalchemy as sa

from app.models import Decision, Outcome, PerformanceRun


@pytest.fixture
def demo_app(monitoring_app, trained_model):
    """The monitoring app with the session's demo clients in its store."""
    from app.extensions import db
    from app.services.clients import load_clients

    with monitoring_app.app_context():
        load_clients(trained_model.data_dir)
        db.session.remove()
    return monitoring_app


@pytest.fixture
def demo_filled(demo_app, trained_model, tmp_path):
    """`make run`'s steps: demo decisions and outcomes, outcomes loaded, one performance run."""
    runner = demo_app.test_cli_runner()
    outcomes_file = tmp_path / "demo-outcomes.csv"
    steps = [
        ["outcomes", "demo", str(trained_model.data_dir), str(outcomes_file)],
        ["outcomes", "load", str(outcomes_file)],
        ["performance", "run"],
    ]
    outputs = []
    for args in steps:
        result = runner.invoke(args=args)
        assert result.exit_code == 0, (args, result.output)
        outputs.append(result.output)
    return outcomes_file, outputs


def _flipped(source, target) -> int:
    with open(source, newline="") as handle:
        rows = list(csv.DictReader(handle))
    with open(target, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["SK_ID_CURR", "defaulted", "observed_at"])
        writer.writeheader()
        for row in rows:
            writer.writerow({**row, "defaulted": str(1 - int(row["defaulted"]))})
    return len(rows)


def test_demo_auc_matches_the_model_test_auc(demo_app, demo_filled, trained_model, drift_api_key):
    outcomes_file, (demo_output, load_output, run_output) = demo_filled
    n_test = trained_model.model.report["n_test"]
    assert f"Scored {n_test} held-out training clients" in demo_output
    assert f"{n_test} rows in {outcomes_file.name}: {n_test} new, 0 replaced" in load_output
    assert "Realised AUC" in run_output

    answer = demo_app.test_client().get("/api/performance", headers={"X-API-Key": drift_api_key})
    assert answer.status_code == 200
    body = answer.get_json()
    test_auc = trained_model.result.metrics["auc"]
    print(f"demo: realised AUC {body['auc']:.4f}, test AUC {test_auc:.4f}")
    assert abs(body["auc"] - test_auc) < 0.03
    assert body["n_labelled"] == n_test
    assert body["test_auc"] == pytest.approx(test_auc)
    assert body["alert"] is False
    assert sum(b["count"] for b in body["calibration"]) == n_test
    assert len(body["calibration"]) == 10
    assert body["overrides"]["n"] == round(body["override_rate"] * n_test)
    assert 0 < body["overrides"]["n"] < n_test * 0.2  # some overridden, most followed
    assert [m["n_labelled"] for m in body["by_month"]] == [n_test]
    # The business cost of the model's decisions on its own test clients is its test cost.
    assert body["business_cost"] == pytest.approx(trained_model.result.metrics["business_cost"])
    with demo_app.app_context():
        from app.extensions import db

        run = db.session.scalars(sa.select(PerformanceRun)).one()
        assert run.evidently_auc == pytest.approx(run.auc, abs=1e-9)  # Evidently agrees


def test_flipped_labels_replace_the_outcomes_and_raise_the_alert(
    demo_app, demo_filled, tmp_path, drift_api_key, advisor_client
):
    outcomes_file, _ = demo_filled
    flipped = tmp_path / "flipped.csv"
    count = _flipped(outcomes_file, flipped)
    runner = demo_app.test_cli_runner()

    loaded = runner.invoke(args=["outcomes", "load", str(flipped)])
    assert loaded.exit_code == 0, loaded.output
    assert f"{count} rows in flipped.csv: 0 new, {count} replaced, 0 unchanged" in loaded.output
    assert "replaces the stored outcome: repaid" in loaded.output
    again = runner.invoke(args=["outcomes", "load", str(flipped)])
    assert f"0 new, 0 replaced, {count} unchanged" in again.output  # idempotent

    ran = runner.invoke(args=["performance", "run"])
    assert ran.exit_code == 0, ran.output
    assert "ALERT" in ran.output
    body = (
        demo_app.test_client()
        .get("/api/performance", headers={"X-API-Key": drift_api_key})
        .get_json()
    )
    assert body["alert"] is True
    assert body["auc"] < 0.5 < body["test_auc"]
    assert body["auc_drop"] == pytest.approx(body["test_auc"] - body["auc"])

    page = advisor_client.get("/monitoring").get_data(as_text=True)
    assert "Model performance warning" in page
    assert 'href="/monitoring/performance"' in page


def test_alert_margin_comes_from_the_configuration(demo_app, demo_filled, drift_api_key):
    demo_app.config["PERFORMANCE_ALERT_MARGIN"] = 0.0
    body = (
        demo_app.test_client()
        .get("/api/performance", headers={"X-API-Key": drift_api_key})
        .get_json()
    )
    assert body["alert_margin"] == 0.0
    assert body["alert"] is (body["auc"] < body["test_auc"])


def test_no_run_without_enough_known_outcomes(demo_app, tmp_path, drift_api_key):
    runner = demo_app.test_cli_runner()
    result = runner.invoke(args=["performance", "run"])
    assert result.exit_code == 1
    assert "Only 0 of 0 decisions" in result.output
    assert "No run was made." in result.output
    answer = demo_app.test_client().get("/api/performance", headers={"X-API-Key": drift_api_key})
    assert answer.status_code == 404
    assert answer.get_json()["error"]["code"] == "no_performance_run"


def test_a_bad_window_is_refused_with_its_rule(demo_app):
    result = demo_app.test_cli_runner().invoke(args=["performance", "run", "--window", "ninety"])
    assert result.exit_code == 1
    assert "--window 'ninety'" in result.output


def test_the_window_keeps_recent_decisions_only(demo_app, demo_filled):
    from app.extensions import db

    with demo_app.app_context():
        # Age every decision by a year: a 90-day window then finds none of them.
        db.session.execute(
            sa.update(Decision).values(created_at=sa.func.datetime(Decision.created_at, "-1 year"))
        )
        db.session.commit()
        labelled = db.session.scalar(sa.select(sa.func.count()).select_from(Outcome))
    result = demo_app.test_cli_runner().invoke(args=["performance", "run", "--window", "90d"])
    assert result.exit_code == 1
    assert "Only 0 of 0 decisions on model" in result.output
    assert "in the last 90d" in result.output
    assert labelled > 0
