"""What a training run leaves in MLflow besides the model: report, plots, model card."""

import logging
import tempfile
from pathlib import Path

import mlflow
import numpy as np

from training import plots
from training.features import GROUP_LABELS
from training.model_card import render_model_card
from training.report import build_report, global_importance

logger = logging.getLogger(__name__)

SHAP_ROWS = 2000  # enough rows for a stable global picture, cheap for every explainer


def log_evaluation(model, frame_test, y_test, probability, metrics, context):
    """Explain the test split, build the report, fill the model's metrics and report, and log
    the plots, the report and the model card. ``probability``: the model's on ``frame_test``."""
    sample = frame_test.head(SHAP_ROWS)
    values, _ = model.feature_contributions(sample)
    importance = global_importance(values @ model.membership, GROUP_LABELS)
    model.metrics = metrics
    model.report = build_report(
        frame_test,
        y_test,
        probability,
        model.threshold,
        importance,
        {
            **context,
            "model_name": model.model_name,
            "n_test": len(y_test),
            "explanation_method": model.explanation_method,
            "metrics": metrics,
        },
    )
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        paths = [
            plots.plot_roc(model.report, folder / "roc.png"),
            plots.plot_cost_curve(model.report, folder / "cost_vs_threshold.png"),
            plots.plot_confusion(
                y_test, probability, model.threshold, folder / "confusion_matrix.png"
            ),
            plots.plot_calibration(model.report, folder / "calibration.png"),
            plots.plot_group_importance(model.report, folder / "importance_by_group.png"),
            plots.plot_shap_summary(
                values,
                _shown_values(model, sample),
                model.scorer.sources,
                folder / "shap_summary.png",
            ),
        ]
        for path in paths:
            mlflow.log_artifact(str(path), artifact_path="plots")
        card = render_model_card(model.report)
        (folder / "model_card.md").write_text(card, encoding="utf-8")
        mlflow.log_artifact(str(folder / "model_card.md"))
    mlflow.log_dict(model.report, "report.json")


def _shown_values(model, sample):
    """The value behind each contribution column (the colour of the summary plot's dots)."""
    prepared = model.scorer.prepare(sample)
    pipeline = getattr(model.scorer, "pipeline", None)
    if pipeline is None:
        return np.asarray(prepared, dtype=float)
    return np.asarray(pipeline[:-1].transform(prepared), dtype=float)
