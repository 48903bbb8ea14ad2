"""What a training run leaves in MLflow besides the model: report, plots, model card."""

import logging
import tempfile
from pathlib import Path

import mlflow

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
    X_sample = model.features(sample)
    values, _, Z = model.explainer.feature_contributions(X_sample)
    group_values = values @ model.explainer.membership_
    importance = global_importance(group_values, GROUP_LABELS)
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
            "explanation_method": model.explainer.method_,
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
            plots.plot_shap_summary(values, Z, _column_names(model), folder / "shap_summary.png"),
        ]
        for path in paths:
            mlflow.log_artifact(str(path), artifact_path="plots")
        card = render_model_card(model.report)
        (folder / "model_card.md").write_text(card, encoding="utf-8")
        mlflow.log_artifact(str(folder / "model_card.md"))
    mlflow.log_dict(model.report, "report.json")


def _column_names(model):
    """Readable names of the transformed columns (one-hot levels keep their feature name)."""
    preprocess = model.pipeline[:-1][-1]
    try:
        return list(preprocess.get_feature_names_out())
    except (AttributeError, ValueError):
        return list(model.explainer.sources_)
