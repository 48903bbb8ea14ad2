"""Evaluation plots written as PNG files (matplotlib's Agg backend: no display needed)."""

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (the backend must be chosen first)
import numpy as np  # noqa: E402
from sklearn.metrics import confusion_matrix  # noqa: E402


def _save(figure, path):
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return Path(path)


def plot_roc(report, path):
    """ROC curve on the test split with its AUC."""
    figure, axes = plt.subplots(figsize=(5, 5))
    points = report["roc_points"]
    axes.plot([p["fpr"] for p in points], [p["tpr"] for p in points], label="model")
    axes.plot([0, 1], [0, 1], linestyle="--", color="grey", label="chance")
    axes.set(xlabel="False positive rate", ylabel="True positive rate", title="ROC (test)")
    axes.legend(loc="lower right")
    return _save(figure, path)


def plot_cost_curve(report, path):
    """Mean business cost per application against the threshold, the chosen one marked."""
    figure, axes = plt.subplots(figsize=(6, 4))
    curve = report["cost_curve"]
    axes.plot([p["threshold"] for p in curve], [p["cost"] for p in curve])
    axes.axvline(report["threshold"], color="red", linestyle="--", label="chosen threshold")
    axes.set(
        xlabel="Threshold on probability of default",
        ylabel="Cost per application (10 FN + FP) / n",
        title="Business cost vs threshold (test)",
    )
    axes.legend()
    return _save(figure, path)


def plot_confusion(y_true, probability, threshold, path):
    """Confusion matrix at the decision threshold, with counts written in the cells."""
    matrix = confusion_matrix(y_true, np.asarray(probability) >= threshold, labels=[0, 1])
    figure, axes = plt.subplots(figsize=(4.5, 4))
    axes.imshow(matrix, cmap="Blues")
    for (row, column), count in np.ndenumerate(matrix):
        axes.text(column, row, str(count), ha="center", va="center", fontsize=12)
    axes.set_xticks([0, 1], ["granted", "refused"])
    axes.set_yticks([0, 1], ["repaid", "defaulted"])
    axes.set(xlabel="Decision", ylabel="Outcome", title=f"Confusion at {threshold:.3f}")
    return _save(figure, path)


def plot_calibration(report, path):
    """Mean predicted probability against observed default rate, per quantile bin."""
    figure, axes = plt.subplots(figsize=(5, 5))
    bins = report["calibration_bins"]
    predicted = [b["mean_predicted"] for b in bins]
    axes.plot(predicted, [b["observed_rate"] for b in bins], marker="o", label="model")
    top = max([*predicted, *(b["observed_rate"] for b in bins), 0.05])
    axes.plot([0, top], [0, top], linestyle="--", color="grey", label="perfect")
    axes.set(xlabel="Mean predicted", ylabel="Observed default rate", title="Calibration")
    axes.legend()
    return _save(figure, path)


def plot_group_importance(report, path):
    """Global importance per business group (mean |contribution| in log-odds)."""
    rows = report["global_importance"][::-1]
    figure, axes = plt.subplots(figsize=(7, 0.3 * len(rows) + 1.2))
    axes.barh([r["label"] for r in rows], [r["mean_abs_contribution"] for r in rows])
    axes.set(xlabel="Mean |contribution| (log-odds)", title="Global importance by group")
    return _save(figure, path)


def plot_shap_summary(values, Z, names, path, max_display=20):
    """shap's beeswarm summary of the per-column contributions on the test split."""
    import shap  # heavy import, only needed here

    shap.summary_plot(values, Z, feature_names=list(names), max_display=max_display, show=False)
    figure = plt.gcf()
    return _save(figure, path)
