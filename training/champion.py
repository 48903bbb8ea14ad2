"""Turn the winning candidate into a CreditRiskModel: refit, calibrate, threshold, explain."""

import numpy as np
from sklearn.metrics import brier_score_loss
from sklearn.model_selection import StratifiedKFold

from training.candidates import scoring_pipeline
from training.evaluate import best_threshold
from training.explain import ContributionExplainer
from training.features import (
    APPLICATION_COLUMNS,
    GROUP_LABELS,
    HISTORY_COLUMNS,
    group_of,
)
from training.model import OUTPUT_COLUMN, CreditRiskModel, ScoreCalibrator
from training.schema import TABLES

REFERENCE_ROWS = 5000
# Raw columns kept in the drift reference: every application column but the id and the label
# (the protected ones too: drift in who applies matters even if the model never reads them).
REFERENCE_COLUMNS = [
    column for column in TABLES["application_train"] if column not in {"SK_ID_CURR", "TARGET"}
]


def choose_calibrator(oof_raw, y, random_state):
    """Sigmoid or isotonic, whichever has the lower cross-validated Brier score on the
    out-of-fold raw scores; refitted on all of them."""
    raw = np.asarray(oof_raw, dtype=float)
    folds = StratifiedKFold(5, shuffle=True, random_state=random_state)
    brier = {}
    for method in ("sigmoid", "isotonic"):
        probability = np.zeros_like(raw)
        for fit_index, check_index in folds.split(raw.reshape(-1, 1), y):
            calibrator = ScoreCalibrator(method).fit(raw[fit_index], y[fit_index])
            probability[check_index] = calibrator.predict(raw[check_index])
        brier[method] = brier_score_loss(y, probability)
    method = min(brier, key=brier.get)
    return ScoreCalibrator(method).fit(raw, y), brier


def assemble(result, X_train, y_train, frame_train, random_state):
    """Refit the winner on the whole training split and wrap it as a CreditRiskModel.

    The calibrator and the threshold come from the out-of-fold scores of the search, never
    from predictions on rows the pipeline was fitted on. Metrics and report are filled in
    after the test evaluation.
    """
    pipeline = result.candidate.make_pipeline(random_state).set_params(**result.params)
    fitted = scoring_pipeline(pipeline.fit(X_train, y_train))
    calibrator, calibration_brier = choose_calibrator(result.oof_raw, y_train, random_state)
    oof_probability = calibrator.predict(result.oof_raw)
    threshold, oof_cost = best_threshold(y_train, oof_probability)
    explainer = ContributionExplainer(group_of, list(GROUP_LABELS)).fit(fitted, X_train)
    model = CreditRiskModel(
        pipeline=fitted,
        calibrator=calibrator,
        explainer=explainer,
        threshold=threshold,
        model_name=result.candidate.name,
        feature_names=list(X_train.columns),
        input_columns=[*APPLICATION_COLUMNS, *HISTORY_COLUMNS],
        metrics={},
        report={},
        reference=None,
    )
    model.reference = reference_sample(model, frame_train, X_train, random_state)
    facts = {
        "oof_business_cost": oof_cost,
        "calibration_method": calibrator.method,
        "calibration_brier_cv": calibration_brier,
    }
    return model, facts


def reference_sample(model, frame_train, X_train, random_state):
    """Up to 5000 training rows: raw columns + history columns + the model's probability.

    The rows' model matrix is taken from ``X_train`` (built from ``frame_train``, same index),
    not rebuilt.
    """
    rows = frame_train.sample(min(REFERENCE_ROWS, len(frame_train)), random_state=random_state)
    columns = [*REFERENCE_COLUMNS, *HISTORY_COLUMNS]
    reference = rows.reindex(columns=columns).reset_index(drop=True)
    reference[OUTPUT_COLUMN] = model.predict_proba_matrix(X_train.loc[rows.index])
    return reference
