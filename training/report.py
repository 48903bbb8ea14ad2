"""The report that travels with the model: curves, calibration, fairness, global importance.

The candidates' comparison and the calibration metrics come in through ``context``.

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


FAIRNESS_ATTRIBUTES = ("CODE_GENDER", "age_band", "NAME_FAMILY_STATUS")
BOOTSTRAP_DRAWS = 500
# rate name -> (who it is counted among, what is counted): refusals among everyone, refusals
# among the good clients (false refusals), acceptances among the defaulters (missed defaults)
RATES = {
    "refusal_rate": ("all", "refused"),
    "false_refusal_rate": ("good", "refused"),
    "missed_default_rate": ("default", "accepted"),
}


def fairness_table(frame, y_true, probability, threshold, draws=BOOTSTRAP_DRAWS, random_state=0):
    """Per gender, age band and family status: size, default rate, AUC, and the refusal,
    false-refusal and missed-default rates, each with a 95 % bootstrap interval.

    The protected columns never enter the model; they are read from the raw rows only to
    check that the model does not treat the groups very differently. The intervals resample the
    group's clients (``draws`` times, seeded): small groups get wide intervals, as they should.
    """
    y_true = np.asarray(y_true).astype(int)
    probability = np.asarray(probability, dtype=float)
    refused = is_refused(probability, threshold)
    rng = np.random.default_rng(random_state)
    rows = []
    for attribute, values in _attributes(frame).items():
        for group in sorted(set(values), key=_band_order):
            members = np.flatnonzero(values == group)
            row = {
                "attribute": attribute,
                "group": str(group),
                "count": int(len(members)),
                "default_rate": float(y_true[members].mean()),
                "auc": _auc_or_none(y_true[members], probability[members]),
            }
            row.update(_rates(y_true[members], refused[members], draws, rng))
            rows.append(row)
    return rows


def _attributes(frame):
    def column(name, default):
        return frame.get(name, pd.Series(default, index=frame.index))

    def text(name):
        return column(name, UNKNOWN).astype(object).fillna(UNKNOWN).astype(str).to_numpy()

    return {
        "CODE_GENDER": text("CODE_GENDER"),
        "age_band": age_band(column("DAYS_BIRTH", np.nan)),
        "NAME_FAMILY_STATUS": text("NAME_FAMILY_STATUS"),
    }


def _rates(y_true, refused, draws, rng):
    """Each rate of RATES and its bootstrap interval ``[low, high]`` (None if undefined)."""
    samples = rng.integers(0, len(y_true), size=(draws, len(y_true)))
    result = {}
    for name, (among, counted) in RATES.items():
        base = {"all": np.ones_like(y_true, bool), "good": y_true == 0, "default": y_true == 1}
        hits = refused if counted == "refused" else ~refused
        eligible = base[among]
        if not eligible.any():
            result[name], result[f"{name}_interval"] = None, None
            continue
        result[name] = float(hits[eligible].mean())
        with np.errstate(invalid="ignore", divide="ignore"):
            boot = (hits & eligible)[samples].sum(axis=1) / eligible[samples].sum(axis=1)
        boot = boot[np.isfinite(boot)]
        result[f"{name}_interval"] = [float(v) for v in np.quantile(boot, [0.025, 0.975])]
    return result


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
