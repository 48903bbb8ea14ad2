"""The report that travels with the model: curves, calibration, fairness, global importance.

Everything here is computed on the held-out test split, with plain Python types only, so the
model page can draw it and the model card can print it without recomputing anything.
"""

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score

from training.domain import AGE_BANDS, is_refused, years_from_days
from training.evaluate import THRESHOLD_GRID, calibration_bins, cost_curve, roc_points

UNKNOWN = "unknown"


def age_band(days_birth):
    """Age band label (training.domain.AGE_BANDS) from Kaggle's DAYS_BIRTH, per row."""
    years = years_from_days(pd.to_numeric(pd.Series(days_birth), errors="coerce").to_numpy(float))
    labels = np.full(years.shape, UNKNOWN, dtype=object)
    for _, label, low, high in AGE_BANDS:
        labels[(years >= low) & (years < high)] = label
    return labels


def fairness_table(frame, y_true, probability, threshold):
    """Default rate, refusal rate and AUC per gender and per age band.

    The protected columns never enter the model; they are read from the raw rows only to
    check that the model does not treat the groups very differently.
    """
    y_true = np.asarray(y_true).astype(int)
    refused = is_refused(np.asarray(probability), threshold)
    gender = frame.get("CODE_GENDER", pd.Series(UNKNOWN, index=frame.index))
    attributes = {
        "CODE_GENDER": gender.astype(object).fillna(UNKNOWN).astype(str).to_numpy(),
        "age_band": age_band(frame.get("DAYS_BIRTH", pd.Series(np.nan, index=frame.index))),
    }
    rows = []
    for attribute, values in attributes.items():
        for group in sorted(set(values), key=_band_order):
            members = values == group
            rows.append(
                {
                    "attribute": attribute,
                    "group": str(group),
                    "count": int(members.sum()),
                    "default_rate": float(y_true[members].mean()),
                    "refusal_rate": float(refused[members].mean()),
                    "auc": _auc_or_none(y_true[members], np.asarray(probability)[members]),
                }
            )
    return rows


def _band_order(group):
    """Age bands youngest first, then other groups alphabetically, unknown last."""
    bands = [label for _, label, _, _ in AGE_BANDS]
    if group in bands:
        return (0, bands.index(group), "")
    return (2 if group == UNKNOWN else 1, 0, group)


def _auc_or_none(y_true, probability):
    """AUC, or None when the group holds only one class (AUC is undefined there)."""
    if len(np.unique(y_true)) < 2:
        return None
    return float(roc_auc_score(y_true, probability))


def global_importance(contributions, group_labels):
    """Mean absolute contribution (log-odds) per business group, largest first."""
    mean_abs = np.abs(np.asarray(contributions, dtype=float)).mean(axis=0)
    rows = [
        {"group": group, "label": group_labels.get(group, group), "mean_abs_contribution": value}
        for group, value in zip(group_labels, mean_abs.tolist(), strict=True)
    ]
    return sorted(rows, key=lambda row: -row["mean_abs_contribution"])


def build_report(frame_test, y_test, probability, threshold, importance, context):
    """The report dict the model page and the model card read.

    ``context`` adds the run facts (model name, run id, trained_at, data sizes, candidates).
    """
    thresholds, costs = cost_curve(y_test, probability, THRESHOLD_GRID[::2])
    return {
        **context,
        "threshold": float(threshold),
        "cost_curve": [
            {"threshold": float(t), "cost": float(c)}
            for t, c in zip(thresholds, costs, strict=True)
        ],
        "calibration_bins": calibration_bins(y_test, probability),
        "roc_points": roc_points(y_test, probability),
        "fairness": fairness_table(frame_test, y_test, probability, threshold),
        "global_importance": importance,
    }
