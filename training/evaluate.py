"""The business metric, the decision threshold, the usual metrics and the evaluation plots.

A missed default (false negative) costs the lender about ten times what a wrongly refused good
client (false positive) costs, so the cost of a decision rule is ``10 * FN + FP``. We report it
as a mean per application so that figures from data sets of different sizes compare.
"""

import numpy as np
import pandas as pd
from scipy.stats import rankdata
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import (
    balanced_accuracy_score,
    brier_score_loss,
    confusion_matrix,
    log_loss,
    roc_auc_score,
    roc_curve,
)

from training.domain import is_refused

FN_COST = 10.0
FP_COST = 1.0
# Probability thresholds searched for the cheapest decision: every half point.
THRESHOLD_GRID = np.round(np.linspace(0.0, 1.0, 201), 4)


def business_cost(y_true, y_pred, fn_cost=FN_COST, fp_cost=FP_COST):
    """Mean cost per application of the decisions ``y_pred`` (1 = refuse, predicted default)."""
    y_true = np.asarray(y_true).astype(int)
    y_pred = np.asarray(y_pred).astype(int)
    if y_true.shape != y_pred.shape:
        raise ValueError(f"y_true has {y_true.shape} rows but y_pred has {y_pred.shape}")
    if y_true.size == 0:
        raise ValueError("business_cost needs at least one application")
    false_negatives = np.sum((y_true == 1) & (y_pred == 0))
    false_positives = np.sum((y_true == 0) & (y_pred == 1))
    return float((fn_cost * false_negatives + fp_cost * false_positives) / y_true.size)


def cost_curve(y_true, probability, thresholds=None, fn_cost=FN_COST, fp_cost=FP_COST):
    """Mean cost per application for each threshold (refuse when probability >= threshold).

    Returns ``(thresholds, costs)``. Vectorised with a sort so that it stays fast on the
    out-of-fold predictions of the whole training set.
    """
    y_true = np.asarray(y_true).astype(int)
    probability = np.asarray(probability, dtype=float)
    if thresholds is None:
        thresholds = THRESHOLD_GRID
    thresholds = np.asarray(thresholds, dtype=float)
    order = np.argsort(probability)
    sorted_probability = probability[order]
    positives_below = np.concatenate([[0], np.cumsum(y_true[order])])
    n_below = np.searchsorted(sorted_probability, thresholds, side="left")
    false_negatives = positives_below[n_below]
    negatives_above = (y_true.size - n_below) - (y_true.sum() - false_negatives)
    costs = (fn_cost * false_negatives + fp_cost * negatives_above) / y_true.size
    return thresholds, costs.astype(float)


def best_threshold(y_true, probability, fn_cost=FN_COST, fp_cost=FP_COST):
    """Threshold minimising the business cost, and that cost: ``(threshold, cost)``.

    Candidates are the grid 0, 0.005, ..., 1 plus the observed probabilities, so a sharp
    optimum between grid points is not missed. Ties go to the lowest threshold.
    """
    probability = np.asarray(probability, dtype=float)
    grid = THRESHOLD_GRID
    candidates = np.unique(np.concatenate([grid, probability]))
    thresholds, costs = cost_curve(y_true, probability, candidates, fn_cost, fp_cost)
    best = int(np.argmin(costs))
    return float(thresholds[best]), float(costs[best])


def classification_metrics(y_true, probability, threshold):
    """AUC, cost, balanced accuracy, recall, specificity and Brier score at ``threshold``."""
    y_true = np.asarray(y_true).astype(int)
    probability = np.asarray(probability, dtype=float)
    y_pred = is_refused(probability, threshold).astype(int)
    tn, fp, fn, tp = confusion_matrix(y_true, y_pred, labels=[0, 1]).ravel()
    return {
        "auc": float(roc_auc_score(y_true, probability)),
        "business_cost": business_cost(y_true, y_pred),
        "balanced_accuracy": float(balanced_accuracy_score(y_true, y_pred)),
        "recall": float(tp / (tp + fn)) if tp + fn else 0.0,
        "specificity": float(tn / (tn + fp)) if tn + fp else 0.0,
        "brier": float(brier_score_loss(y_true, probability)),
        "refusal_rate": float(y_pred.mean()),
        "threshold": float(threshold),
    }


def calibration_bins(y_true, probability, n_bins=10):
    """Quantile bins of predicted probability: mean predicted vs observed default rate."""
    y_true = np.asarray(y_true).astype(int)
    probability = np.asarray(probability, dtype=float)
    edges = np.unique(np.quantile(probability, np.linspace(0, 1, n_bins + 1)))
    bin_of = np.clip(np.searchsorted(edges, probability, side="right") - 1, 0, len(edges) - 2)
    bins = []
    for index in range(len(edges) - 1):
        in_bin = bin_of == index
        if in_bin.any():
            bins.append(
                {
                    "mean_predicted": float(probability[in_bin].mean()),
                    "observed_rate": float(y_true[in_bin].mean()),
                    "count": int(in_bin.sum()),
                }
            )
    return bins


def calibration_metrics(y_true, probability, n_bins=10):
    """How honest the probabilities are: expected calibration error (quantile bins, weighted by
    their size), log-loss, and the calibration slope and intercept (logistic regression of the
    outcome on the predicted log-odds: 1 and 0 when calibrated; a slope below 1 means
    over-confident scores)."""
    y_true = np.asarray(y_true).astype(int)
    probability = np.clip(np.asarray(probability, dtype=float), 1e-6, 1 - 1e-6)
    bins = calibration_bins(y_true, probability, n_bins)
    ece = sum(b["count"] * abs(b["mean_predicted"] - b["observed_rate"]) for b in bins)
    logit = np.log(probability / (1 - probability)).reshape(-1, 1)
    refit = LogisticRegression(C=1e6, max_iter=1000).fit(logit, y_true)
    return {
        "ece": float(ece / y_true.size),
        "log_loss": float(log_loss(y_true, probability, labels=[0, 1])),
        "calibration_slope": float(refit.coef_[0, 0]),
        "calibration_intercept": float(refit.intercept_[0]),
    }


def roc_points(y_true, probability, max_points=101):
    """At most ``max_points`` (fpr, tpr) pairs of the ROC curve, enough to draw it."""
    fpr, tpr, _ = roc_curve(y_true, probability)
    keep = np.unique(np.linspace(0, len(fpr) - 1, min(max_points, len(fpr))).astype(int))
    return [{"fpr": float(fpr[i]), "tpr": float(tpr[i])} for i in keep]


def single_feature_auc(X, y):
    """AUC of each feature used alone (max of AUC and 1 - AUC): the leakage screen.

    Categories are replaced by their default rate, missing numbers by the median, so that
    every column gives a score. Constant columns are left out. Vectorised with ranks (the
    Mann-Whitney form of the AUC) so that it stays cheap on hundreds of features.
    """
    y = np.asarray(y).astype(int)
    encoded = {}
    for name in X.columns:
        column = X[name]
        if isinstance(column.dtype, pd.CategoricalDtype) or not pd.api.types.is_numeric_dtype(
            column
        ):
            as_text = column.astype(object).where(column.notna(), "__missing__").astype(str)
            column = as_text.map(pd.Series(y, index=X.index).groupby(as_text).mean())
        values = column.astype(float)
        encoded[name] = values.fillna(values.median()).to_numpy()
    matrix = pd.DataFrame(encoded, index=X.index)
    matrix = matrix.loc[:, matrix.nunique() > 1]
    ranks = rankdata(matrix.to_numpy(), axis=0)
    positives = int(y.sum())
    negatives = y.size - positives
    auc = (ranks[y == 1].sum(axis=0) - positives * (positives + 1) / 2) / (positives * negatives)
    scores = {name: float(max(a, 1.0 - a)) for name, a in zip(matrix.columns, auc, strict=True)}
    return dict(sorted(scores.items(), key=lambda item: -item[1]))
