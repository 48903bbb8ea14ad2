"""Was the model right? Its scores against what happened to the loans, measured.

Pure functions of a DataFrame with one row per decided application whose outcome is known:
`probability_of_default`, `model_decision`, `final_decision`, `overridden`, `defaulted` (0/1),
`decided_at` (UTC). No Flask, no database: performance_runs.py decides which rows these are.
The metrics are training's own (training/evaluate.py), so a realised figure and the model's test
figure are computed the same way.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score

from training.domain import ACCEPTED, REFUSED
from training.evaluate import business_cost, calibration_bins

CALIBRATION_BINS = 10  # deciles of predicted probability


@dataclass
class PerformanceResult:
    """What one check found, JSON-ready except the Evidently HTML report."""

    n_labelled: int
    auc: float
    business_cost: float
    business_cost_final: float
    default_rate_accepted: float | None
    override_rate: float
    overrides: dict
    followed: dict
    calibration: list[dict]
    by_month: list[dict]
    evidently_auc: float | None = None
    html: str = field(default="", repr=False)


def auc_or_none(defaulted, probability) -> float | None:
    """ROC AUC, or None when only one outcome is present (it is undefined then)."""
    defaulted = np.asarray(defaulted, dtype=int)
    if len(np.unique(defaulted)) < 2:
        return None
    return float(roc_auc_score(defaulted, np.asarray(probability, dtype=float)))


def _rate(values: pd.Series) -> float | None:
    return float(values.mean()) if len(values) else None


def _costs(rows: pd.DataFrame) -> dict:
    """Cost per application of the model's decisions and of the advisors' final ones."""
    if rows.empty:
        return {"business_cost_model": None, "business_cost_final": None}
    y = rows["defaulted"].to_numpy(dtype=int)
    return {
        "business_cost_model": business_cost(y, rows["model_decision"].eq(REFUSED).to_numpy()),
        "business_cost_final": business_cost(y, rows["final_decision"].eq(REFUSED).to_numpy()),
    }


def group_figures(rows: pd.DataFrame) -> dict:
    """Count, default rate and both costs of a group of decisions (overridden, followed ...)."""
    accepted = rows[rows["final_decision"] == ACCEPTED]
    return {
        "n": len(rows),
        "default_rate": _rate(rows["defaulted"]),
        "default_rate_accepted": _rate(accepted["defaulted"]),
        **_costs(rows),
    }


def override_figures(rows: pd.DataFrame) -> dict:
    """Overridden decisions: did the advisors do better than the model on them?

    `accepted_by_advisor`: the model refused, the advisor accepted (their default rate is what
    those loans cost); `refused_by_advisor`: the model accepted, the advisor refused.
    """
    overridden = rows[rows["overridden"]]
    return {
        **group_figures(overridden),
        "accepted_by_advisor": group_figures(overridden[overridden["final_decision"] == ACCEPTED]),
        "refused_by_advisor": group_figures(overridden[overridden["final_decision"] == REFUSED]),
    }


def _month_figures(month: str, rows: pd.DataFrame) -> dict:
    accepted = rows[rows["final_decision"] == ACCEPTED]
    y = rows["defaulted"].to_numpy(dtype=int)
    return {
        "month": month,
        "n_labelled": len(rows),
        "auc": auc_or_none(y, rows["probability_of_default"]),
        "default_rate": _rate(rows["defaulted"]),
        "default_rate_accepted": _rate(accepted["defaulted"]),
        "business_cost": business_cost(y, rows["model_decision"].eq(REFUSED).to_numpy()),
        "override_rate": float(rows["overridden"].mean()),
        "overrides": group_figures(rows[rows["overridden"]]),
        "followed": group_figures(rows[~rows["overridden"]]),
    }


def by_month(rows: pd.DataFrame) -> list[dict]:
    """The same figures per calendar month of the decision (UTC), oldest first."""
    months = pd.to_datetime(rows["decided_at"], utc=True).dt.strftime("%Y-%m")
    return [_month_figures(month, group) for month, group in rows.groupby(months, sort=True)]


def evaluate(rows: pd.DataFrame, threshold: float, with_report: bool = True) -> PerformanceResult:
    """Every figure of a performance check; `rows` must hold both outcomes (AUC needs them)."""
    rows = rows.reset_index(drop=True).astype({"overridden": bool, "defaulted": int})
    y = rows["defaulted"].to_numpy()
    probability = rows["probability_of_default"].to_numpy(dtype=float)
    auc = auc_or_none(y, probability)
    if auc is None:
        raise ValueError("both outcomes (defaulted and repaid) are needed to measure the AUC")
    costs = _costs(rows)
    accepted = rows[rows["final_decision"] == ACCEPTED]
    result = PerformanceResult(
        n_labelled=len(rows),
        auc=auc,
        business_cost=costs["business_cost_model"],
        business_cost_final=costs["business_cost_final"],
        default_rate_accepted=_rate(accepted["defaulted"]),
        override_rate=float(rows["overridden"].mean()),
        overrides=override_figures(rows),
        followed=group_figures(rows[~rows["overridden"]]),
        calibration=calibration_bins(y, probability, CALIBRATION_BINS),
        by_month=by_month(rows),
    )
    if with_report:
        result.evidently_auc, result.html = classification_report(rows, threshold)
    return result


def classification_report(rows: pd.DataFrame, threshold: float) -> tuple[float | None, str]:
    """Evidently's classification report (HTML) and its own ROC AUC, as a cross-check."""
    # Imported here: Evidently takes seconds to import and only a run needs it.
    from evidently import BinaryClassification, DataDefinition, Dataset, Report
    from evidently.presets import ClassificationPreset

    frame = pd.DataFrame(
        {
            "defaulted": rows["defaulted"].astype(int),
            "probability_of_default": rows["probability_of_default"].astype(float),
            "model_refusal": rows["model_decision"].eq(REFUSED).astype(int),
        }
    )
    definition = DataDefinition(
        numerical_columns=["probability_of_default"],
        classification=[
            BinaryClassification(
                target="defaulted",
                prediction_labels="model_refusal",
                prediction_probas="probability_of_default",
                pos_label=1,
            )
        ],
    )
    report = Report([ClassificationPreset(probas_threshold=threshold)], include_tests=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", (RuntimeWarning, UserWarning))
        snapshot = report.run(Dataset.from_pandas(frame, data_definition=definition), None)
    roc_auc = next(
        (
            float(m["value"])
            for m in snapshot.dict()["metrics"]
            if m["config"].get("type") == "evidently:metric_v2:RocAuc"
        ),
        None,
    )
    return roc_auc, snapshot.get_html_str(as_iframe=False)
