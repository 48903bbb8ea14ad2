"""Every page an advisor can see, with the states that change what it shows.

Shared by the language checks (tests/pages/test_i18n.py), the Nu Html Checker
(tests/pages/test_html_valid.py) and the browser (tests/pages/test_i18n_browser.py), so a new
page is added once and checked everywhere. A stop is (name, method, path, form data or None).
"""

import csv
import gzip
from datetime import UTC, datetime, timedelta

from app.models import DriftRun

NEW_APPLICATION = {
    "NAME_CONTRACT_TYPE": "Cash loans",
    "AMT_CREDIT": "450000",
    "AMT_ANNUITY": "22000",
    "AMT_GOODS_PRICE": "400000",
    "AMT_INCOME_TOTAL": "150000",
    "age_years": "41",
    "employment_years": "6.5",
    "CNT_CHILDREN": "1",
    "NAME_INCOME_TYPE": "Working",
    "NAME_EDUCATION_TYPE": "Higher education",
    "OCCUPATION_TYPE": "Laborers",
    "NAME_HOUSING_TYPE": "House / apartment",
    "EXT_SOURCE_2": "0.55",
}
BAD_APPLICATION = {**NEW_APPLICATION, "AMT_CREDIT": "lots", "EXT_SOURCE_1": "2", "age_years": "12"}
OUT_OF_RANGE = {**NEW_APPLICATION, "EXT_SOURCE_1": "2", "age_years": "12", "AMT_ANNUITY": "-5"}


def signed_in_tour(ids: dict) -> list[tuple]:
    """The signed-in pages; `ids` has an 'accepted' and a 'refused' stored client."""
    accepted, refused = ids["accepted"], ids["refused"]
    filters = (
        "age_band=40-49&income_band=100k-150k&contract_type=Cash+loans&education=Higher+education"
    )
    what_if, changed = f"/clients/{refused}/what-if", {**NEW_APPLICATION, "EXT_SOURCE_3": "0.9"}
    saved = {**NEW_APPLICATION, "save_as_client": "y"}
    return [
        ("home", "GET", "/", None),
        ("find-error", "GET", "/clients/find?client_id=abc", None),
        ("client-accepted", "GET", f"/clients/{accepted}", None),
        ("client-filtered", "GET", f"/clients/{refused}?variable=EXT_SOURCE_2&{filters}", None),
        ("client-unknown-choice", "GET", f"/clients/{accepted}?variable=PASSWORD", None),
        ("what-if", "GET", f"/clients/{refused}/what-if", None),
        ("what-if-result", "POST", what_if, changed),
        ("what-if-errors", "POST", what_if, BAD_APPLICATION),
        ("what-would-change-refused", "GET", f"/clients/{refused}/what-would-change", None),
        ("what-would-change-accepted", "GET", f"/clients/{accepted}/what-would-change", None),
        ("new-application", "GET", "/applications/new", None),
        ("new-application-result", "POST", "/applications/new", saved),
        ("new-application-rules", "POST", "/applications/new", OUT_OF_RANGE),
        ("model", "GET", "/model", None),
        ("monitoring", "GET", "/monitoring", None),
        *oversight_tour(ids),
        ("unknown-client", "GET", "/clients/1", None),
        ("unknown-page", "GET", "/no-such-page", None),
    ]  # fmt: skip


def oversight_tour(ids: dict) -> list[tuple]:
    """The decision form, the letters and the performance page (issue 12); the pages that need
    `store_oversight`'s decisions and runs are left out when `ids` has none of them."""
    stops = [("letter-none", "GET", f"/clients/{ids['accepted']}/letter", None)]
    if "letters" not in ids:
        return stops
    decide = f"/predictions/{ids['decided_prediction']}/decision"
    stops += [
        ("decide", "GET", decide, None),
        ("decide-errors", "POST", decide, OVERRIDE_WITHOUT_REASON),
        *[(f"letter-{kind}", "GET", f"/clients/{client}/letter", None)
          for kind, client in ids["letters"].items()],
        ("performance", "GET", "/monitoring/performance", None),
    ]  # fmt: skip
    return stops


# The decision form's errors: an override (of either decision) with no reason, a bad comment.
OVERRIDE_WITHOUT_REASON = {"decision-final_decision": "accepted", "decision-comment": "1" * 1001}

ANONYMOUS_TOUR = [
    ("sign-in", "GET", "/auth/sign-in", None),
    ("sign-in-error", "POST", "/auth/sign-in", {"username": "advisor", "password": "wrong"}),
    ("unknown-page-anonymous", "GET", "/no-such-page", None),
    ("api-console", "GET", "/api/console", None),
    ("api-console-example", "GET", "/api/console?operation=predict&example=batch", None),
    ("api-console-answer", "POST", "/api/console", {
        "operation": "predict", "body": '{"client_id": 100002}', "api_key": "not-a-key"}),
    ("api-console-errors", "POST", "/api/console", {
        "operation": "getClient", "param-client_id": "../model", "api_key": "not-a-key"}),
]  # fmt: skip


def visit(client, stop, language: str):
    """One stop of the tour in `language` (Accept-Language); returns the response."""
    _, method, path, data = stop
    headers = {"Accept-Language": language}
    if method == "POST":
        return client.post(path, data=data, headers=headers)
    return client.get(path, headers=headers)


def _drift_column(name, score, drifted, rank):
    return {
        "column": name,
        "stat_test": "Wasserstein distance (normed)",
        "score": score,
        "threshold": 0.1,
        "drifted": drifted,
        "strength": score / 0.1,
        "importance_rank": rank,
    }


def store_drift_runs(app) -> None:
    """Two drift runs (a calm one, then a drifted one) so the monitoring page shows everything."""
    from app.extensions import db

    calm = [
        _drift_column("AMT_CREDIT", 0.02, False, 1),
        _drift_column("EXT_SOURCE_3", 0.01, False, 2),
    ]
    shifted = [
        _drift_column("EXT_SOURCE_3", 0.42, True, 2),
        _drift_column("DAYS_BIRTH", 0.21, True, 9),
        _drift_column("AMT_REQ_CREDIT_BUREAU_YEAR", 0.05, False, 3),
    ]
    common = {
        "rows": 4_000,
        "rows_compared": 2_000,
        "rows_reference": 5_000,
        "skipped_columns": {"OWN_CAR_AGE": "no values in the current sample"},
        "mean_probability_reference": 0.1,
        "model_name": "lightgbm",
        "model_version": "7",
        "duration_s": 3.0,
        "report_html_gz": gzip.compress(b"<!doctype html><title>r</title>"),
    }
    with app.app_context():
        for days_ago, columns, source, detail in (
            (3, calm, "window", "last 7 days"),
            (0, shifted, "last", "last 500 predictions"),
        ):
            drifted = sum(c["drifted"] for c in columns)
            db.session.add(
                DriftRun(
                    created_at=datetime(2026, 11, 12, 14, 5, tzinfo=UTC) - timedelta(days=days_ago),
                    source=source,
                    source_detail=detail,
                    column_count=len(columns),
                    drifted_count=drifted,
                    drift_share=drifted / len(columns),
                    dataset_drift=drifted > 1,
                    columns=columns,
                    prediction_drift={"drifted": days_ago == 0},
                    mean_probability=0.1 + 0.01 * days_ago,
                    **common,
                )
            )
        db.session.commit()


def _flipped_outcomes(source, target) -> None:
    """The same outcomes with every label flipped: the realised AUC drops and the alert shows."""
    with open(source, newline="") as handle:
        rows = list(csv.DictReader(handle))
    with open(target, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["SK_ID_CURR", "defaulted", "observed_at"])
        writer.writeheader()
        writer.writerows({**row, "defaulted": str(1 - int(row["defaulted"]))} for row in rows)


def _letters(decisions) -> dict:
    """A client for each kind of letter: accepted and refused as the model said, overridden."""
    kinds = {
        "accepted": lambda d: not d.overridden and d.final_decision == "accepted",
        "refused": lambda d: not d.overridden and d.final_decision == "refused",
        "overridden": lambda d: d.overridden,
    }
    return {
        kind: next(d.client_id for d in decisions if wanted(d)) for kind, wanted in kinds.items()
    }


def store_oversight(app, data_dir, work_dir) -> dict:
    """Real decisions, outcomes and performance runs, made by the services `make run` uses:
    the demo advisor decides on the model's held-out clients (some overrides), their outcomes
    are loaded and measured, then loaded again flipped and measured, so the page shows two runs
    and the alert. Returns the ids the oversight stops need (merge them into the tour's ids)."""
    from app.extensions import db
    from app.models import Decision
    from app.monitoring.performance_runs import run_performance
    from app.services import model_store, outcomes
    from app.services.oversight_demo import fill_demo

    outcomes_file, flipped = work_dir / "outcomes.csv", work_dir / "flipped-outcomes.csv"
    with app.app_context():
        fill_demo(data_dir, outcomes_file)
        outcomes.load_outcomes(outcomes_file)
        run_performance(model_store.get_model())
        _flipped_outcomes(outcomes_file, flipped)
        outcomes.load_outcomes(flipped)
        run_performance(model_store.get_model())
        decided = list(db.session.scalars(db.select(Decision).order_by(Decision.id)))
        # a refusal by the model: accepting it without a reason shows the override's errors
        refused = next(d for d in decided if d.model_decision == "refused")
        ids = {"letters": _letters(decided), "decided_prediction": refused.prediction_id}
        db.session.remove()
    return ids
