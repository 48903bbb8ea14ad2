"""Outcomes and performance on the demo: the real commands, the migrated database, the real model.

The demo's realised AUC must match the model's own test AUC (same clients, same model), and a
file with the labels flipped must raise the alert, on the API and on the pages.
"""

import csv
import re

import pandas as pd
import pytest
import sqlalchemy as sa
from sklearn.metrics import roc_auc_score

from app.models import Decision, Outcome, PerformanceRun


@pytest.fixture
def demo_filled(app, trained_model, tmp_path):
    """`make run`'s steps: demo decisions and outcomes, outcomes loaded, one performance run."""
    runner = app.test_cli_runner()
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


def test_demo_auc_matches_the_model_test_auc(app, demo_filled, trained_model, api_key):
    outcomes_file, (demo_output, load_output, run_output) = demo_filled
    n_test = trained_model.model.report["n_test"]
    assert f"Scored {n_test} held-out training clients" in demo_output
    assert f"{n_test} rows in {outcomes_file.name}: {n_test} new, 0 replaced" in load_output
    assert "Realised AUC" in run_output

    answer = app.test_client().get("/api/performance", headers={"X-API-Key": api_key})
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
    with app.app_context():
        from app.extensions import db

        run = db.session.scalars(sa.select(PerformanceRun)).one()
        assert run.evidently_auc == pytest.approx(run.auc, abs=1e-9)  # Evidently agrees


def test_flipped_labels_replace_the_outcomes_and_raise_the_alert(
    app, demo_filled, tmp_path, api_key, advisor
):
    outcomes_file, _ = demo_filled
    flipped = tmp_path / "flipped.csv"
    count = _flipped(outcomes_file, flipped)
    runner = app.test_cli_runner()

    loaded = runner.invoke(args=["outcomes", "load", str(flipped)])
    assert loaded.exit_code == 0, loaded.output
    assert f"{count} rows in flipped.csv: 0 new, {count} replaced, 0 unchanged" in loaded.output
    assert "replaces the stored outcome: repaid" in loaded.output
    again = runner.invoke(args=["outcomes", "load", str(flipped)])
    assert f"0 new, 0 replaced, {count} unchanged" in again.output  # idempotent

    ran = runner.invoke(args=["performance", "run"])
    assert ran.exit_code == 0, ran.output
    assert "ALERT" in ran.output
    body = app.test_client().get("/api/performance", headers={"X-API-Key": api_key}).get_json()
    assert body["alert"] is True
    assert body["auc"] < 0.5 < body["test_auc"]
    assert body["auc_drop"] == pytest.approx(body["test_auc"] - body["auc"])

    page = advisor.get("/monitoring").get_data(as_text=True)
    assert "Model performance warning" in page
    assert 'href="/monitoring/performance"' in page


def test_alert_margin_comes_from_the_configuration(app, demo_filled, api_key):
    app.config["PERFORMANCE_ALERT_MARGIN"] = 0.0
    body = app.test_client().get("/api/performance", headers={"X-API-Key": api_key}).get_json()
    assert body["alert_margin"] == 0.0
    assert body["alert"] is (body["auc"] < body["test_auc"])


def test_no_run_without_enough_known_outcomes(app, tmp_path, api_key):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["performance", "run"])
    assert result.exit_code == 1
    assert "Only 0 of 0 decisions" in result.output
    assert "No run was made." in result.output
    answer = app.test_client().get("/api/performance", headers={"X-API-Key": api_key})
    assert answer.status_code == 404
    assert answer.get_json()["error"]["code"] == "no_performance_run"


def test_a_bad_window_is_refused_with_its_rule(app):
    result = app.test_cli_runner().invoke(args=["performance", "run", "--window", "ninety"])
    assert result.exit_code == 1
    assert "--window 'ninety'" in result.output


def test_the_window_keeps_recent_decisions_only(app, demo_filled):
    from app.extensions import db

    with app.app_context():
        # Age every decision by a year: a 90-day window then finds none of them.
        db.session.execute(
            sa.update(Decision).values(created_at=sa.func.datetime(Decision.created_at, "-1 year"))
        )
        db.session.commit()
        labelled = db.session.scalar(sa.select(sa.func.count()).select_from(Outcome))
    result = app.test_cli_runner().invoke(args=["performance", "run", "--window", "90d"])
    assert result.exit_code == 1
    assert "Only 0 of 0 decisions on model" in result.output
    assert "in the last 90d" in result.output
    assert labelled > 0


def test_performance_page_after_the_demo(app, demo_filled, advisor):
    from app.monitoring import performance_runs
    from app.monitoring.performance_charts import performance_charts
    from tests.services.test_charts import VALIDATOR

    page = advisor.get("/monitoring/performance").get_data(as_text=True)
    assert re.findall(r"<h1[^>]*>(.*?)</h1>", page) == ["Model performance on known outcomes"]
    headline = (
        r"On [\d,]+ decided applications with a known outcome, the model ranks risk as well as "
        r"when it was tested \(AUC 0\.\d{3} against 0\.\d{3}"
    )
    assert re.search(headline, page)
    assert "Advisors overrode" in page and '<table id="overrides-table">' in page
    # Charts are SVG drawn on the server (issue 11): the specs they were drawn from are valid
    # Vega-Lite, and each is inlined in its figure as an image, with no script on the page.
    drawn = dict(
        re.findall(r'<div class="chart__figure" id="([^"]+)">(<svg .*?</svg>)</div>', page, re.S)
    )
    assert set(drawn) == {
        "performance-calibration", "performance-auc-by-month", "performance-default-by-month",
    }  # fmt: skip
    assert all(re.match(r'<svg [^>]*role="img"', svg) for svg in drawn.values())
    assert page.count('role="img"') == 3
    assert "<script" not in page
    with app.test_request_context():
        latest = performance_runs.recent_runs()[0]  # the run the page shows
        margin = float(app.config["PERFORMANCE_ALERT_MARGIN"])
        specs = {c.id: c.spec for c in performance_charts(latest, margin).values()}
    assert set(specs) == set(drawn)
    for spec in specs.values():
        VALIDATOR.validate(spec)
    run_id = re.search(r'href="/monitoring/performance/runs/(\d+)/report"', page).group(1)
    report = advisor.get(f"/monitoring/performance/runs/{run_id}/report")
    assert report.status_code == 200 and report.mimetype == "text/html"
    assert report.headers["Content-Security-Policy"].startswith("sandbox allow-scripts")
    assert b"<html" in report.data[:2000].lower()
    assert advisor.get("/monitoring/performance/runs/999/report").status_code == 404


def _decided(rows):
    """(model decision, final decision, probability, defaulted, month) -> the evaluate frame."""
    return pd.DataFrame(
        [
            {
                "model_decision": model,
                "final_decision": final,
                "overridden": model != final,
                "probability_of_default": probability,
                "defaulted": defaulted,
                "decided_at": pd.Timestamp(f"2026-{month:02d}-10", tz="UTC"),
            }
            for model, final, probability, defaulted, month in rows
        ]
    )


def test_evaluate_by_hand():
    from app.monitoring.performance import evaluate

    a, r = "accepted", "refused"
    rows = _decided(
        [
            (a, a, 0.05, 0, 1),
            (a, a, 0.10, 1, 1),  # a missed default: costs 10
            (r, r, 0.60, 1, 1),
            (r, a, 0.55, 0, 2),  # override that was right
            (r, a, 0.70, 1, 2),  # override that was wrong: the advisor's missed default
            (a, r, 0.20, 0, 2),  # override that refused a good client: costs 1
            (a, a, 0.02, 0, 2),
            (r, r, 0.90, 0, 2),  # the model refused a good client: costs 1
        ]
    )
    result = evaluate(rows, threshold=0.5, with_report=False)
    assert result.n_labelled == 8
    assert result.auc == pytest.approx(
        roc_auc_score(rows["defaulted"], rows["probability_of_default"])
    )
    # model: FN = row 2 (10), FP = rows 4, 8 (1 + 1) -> 12 / 8
    assert result.business_cost == pytest.approx(12 / 8)
    # final: FN = rows 2, 5 (20), FP = rows 6, 8 (2) -> 22 / 8
    assert result.business_cost_final == pytest.approx(22 / 8)
    assert result.default_rate_accepted == pytest.approx(2 / 5)  # rows 1, 2, 4, 5, 7
    assert result.override_rate == pytest.approx(3 / 8)
    assert result.overrides["n"] == 3
    assert result.overrides["default_rate"] == pytest.approx(1 / 3)
    assert result.overrides["business_cost_model"] == pytest.approx(1 / 3)  # row 4 refused
    assert result.overrides["business_cost_final"] == pytest.approx(11 / 3)  # rows 5, 6
    assert result.overrides["accepted_by_advisor"]["n"] == 2
    assert result.overrides["refused_by_advisor"]["default_rate"] == 0.0
    assert result.followed["n"] == 5
    assert [m["month"] for m in result.by_month] == ["2026-01", "2026-02"]
    assert [m["n_labelled"] for m in result.by_month] == [3, 5]
    assert result.by_month[0]["overrides"] == {
        "n": 0, "default_rate": None, "default_rate_accepted": None,
        "business_cost_model": None, "business_cost_final": None,
    }  # fmt: skip
    assert sum(b["count"] for b in result.calibration) == 8


def test_evaluate_refuses_a_single_outcome():
    from app.monitoring.performance import evaluate

    rows = _decided([("accepted", "accepted", 0.1, 0, 1), ("refused", "refused", 0.7, 0, 1)])
    with pytest.raises(ValueError, match="both outcomes"):
        evaluate(rows, threshold=0.5, with_report=False)


def test_the_demo_command_is_refused_in_production(app, trained_model, tmp_path):
    app.config["ENV_NAME"] = "production"
    out = tmp_path / "o.csv"
    args = ["outcomes", "demo", str(trained_model.data_dir), str(out)]
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 1
    assert "refused in production" in result.output
    assert not out.exists()


@pytest.mark.parametrize(
    ("stored", "english", "french"),
    [
        ("90d", "Last 90 days", "90 derniers jours"),
        ("1d", "Last day", "Dernier jour"),
        ("12h", "Last 12 hours", "12 dernières heures"),
        ("2w", "Last 2 weeks", "2 dernières semaines"),
        ("30m", "Last 30 minutes", "30 dernières minutes"),
        (None, "All", "Toutes"),
    ],
)
def test_the_window_is_said_in_words_in_each_language(app, stored, english, french):
    from flask_babel import force_locale

    from app.monitoring.performance_wording import window

    run = PerformanceRun(window=stored)
    with app.test_request_context():
        with force_locale("en"):
            assert window(run) == english
        with force_locale("fr"):
            assert window(run) == french
