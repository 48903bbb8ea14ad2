"""Turn the winning candidate into a CreditRiskModel: its models, calibrator, threshold, groups.

A LightGBM winner is the average of its first repeat's fold models, merged into one booster
(``training.booster``): the calibrator is fitted on the out-of-fold scores of models of exactly
that kind (trained on 4/5 of the rows with the tree count chosen by CV), not on those of a refit
with another score scale. A scikit-learn winner is refitted on the whole training split.
"""

import numpy as np
from sklearn.metrics import brier_score_loss
from sklearn.model_selection import StratifiedKFold

from training.booster import BoosterScorer, merge_boosters
from training.candidates import BoosterCandidate, scoring_pipeline
from training.evaluate import best_threshold
from training.explain import ContributionExplainer, PipelineScorer
from training.features import (
    APPLICATION_COLUMNS,
    FEATURE_NAMES,
    GROUP_LABELS,
    HISTORY_COLUMNS,
    PROTECTED_COLUMNS,
    group_of,
)
from training.model import OUTPUT_COLUMN, CreditRiskModel, ScoreCalibrator

REFERENCE_ROWS = 5000
# Raw columns kept in the drift reference: the model's inputs only. No identifier, no label,
# no protected column (gender, family status): the registry holds no personal data it does not
# need, and drift is only ever computed on the model's inputs and its probability.
REFERENCE_COLUMNS = [*APPLICATION_COLUMNS, *HISTORY_COLUMNS]
assert not set(PROTECTED_COLUMNS) & set(REFERENCE_COLUMNS)


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


def production_scorer(result, designs, y_train, random_state):
    """The scorer of the winner: merged fold boosters, or the pipeline refitted on all rows."""
    if isinstance(result.candidate, BoosterCandidate):
        booster = merge_boosters(result.boosters, num_iteration=result.best_iterations[0])
        return BoosterScorer(booster, FEATURE_NAMES), "average of the first repeat's fold models"
    X_train = designs["frame"]
    pipeline = result.candidate.make_pipeline(random_state).set_params(**result.params)
    fitted = scoring_pipeline(pipeline.fit(X_train, y_train))
    explainer = ContributionExplainer(group_of, list(GROUP_LABELS)).fit(fitted, X_train)
    return PipelineScorer(fitted, explainer, X_train.columns), "refitted on the training split"


def calibration_scores(result):
    """The out-of-fold raw scores the calibrator learns from: the LightGBM champion's first
    repeat (its own fold models), every repeat stacked for a refitted pipeline."""
    if isinstance(result.candidate, BoosterCandidate):
        return result.oof_raw[:1]
    return result.oof_raw


def assemble(result, designs, y_train, frame_train, random_state):
    """The winner as a CreditRiskModel; calibrator and threshold from out-of-fold scores only.

    Metrics and report are filled in after the test evaluation.
    """
    scorer, production = production_scorer(result, designs, y_train, random_state)
    oof = calibration_scores(result)
    y_stacked = np.tile(y_train, len(oof))
    calibrator, calibration_brier = choose_calibrator(oof.ravel(), y_stacked, random_state)
    oof_probability = calibrator.predict(oof.ravel())
    threshold, oof_cost = best_threshold(y_stacked, oof_probability)
    model = CreditRiskModel(
        scorer=scorer,
        calibrator=calibrator,
        threshold=threshold,
        model_name=result.candidate.name,
        groups=list(GROUP_LABELS),
        group_of=group_of,
        input_columns=[*APPLICATION_COLUMNS, *HISTORY_COLUMNS],
    )
    model.reference = reference_sample(model, frame_train, random_state)
    facts = {
        "oof_business_cost": oof_cost,
        "calibration_method": calibrator.method,
        "calibration_brier_cv": calibration_brier,
        "production_model": production,
        "best_iterations": result.best_iterations,
    }
    return model, facts


def reference_sample(model, frame_train, random_state):
    """Up to 5000 training rows: the model's raw input columns + its probability."""
    rows = frame_train.sample(min(REFERENCE_ROWS, len(frame_train)), random_state=random_state)
    reference = rows.reindex(columns=REFERENCE_COLUMNS).reset_index(drop=True)
    reference[OUTPUT_COLUMN] = model.predict_proba(rows)
    return reference
