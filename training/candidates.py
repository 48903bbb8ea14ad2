"""The candidate models, from a baseline to LightGBM, and their cross-validated search.

Each candidate is an imbalanced-learn ``Pipeline``: ``preprocess -> [sampler] -> classifier``.
Re-sampling sits inside the pipeline, so it only ever touches the training part of each fold.
The search scores every parameter draw by the business cost of its out-of-fold predictions at
their best threshold (the cost is unchanged by any monotone calibration, so it can be measured
before calibrating).
"""

import logging
import sys
import time
from dataclasses import dataclass, field

import numpy as np
from imblearn.over_sampling import SMOTE
from imblearn.pipeline import Pipeline as ImbPipeline
from imblearn.under_sampling import RandomUnderSampler
from lightgbm import LGBMClassifier
from scipy.stats import loguniform, randint, uniform
from sklearn.base import clone
from sklearn.compose import ColumnTransformer, make_column_selector
from sklearn.dummy import DummyClassifier
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import ParameterSampler
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder, StandardScaler
from tqdm import tqdm

from training.domain import is_refused
from training.evaluate import best_threshold, business_cost
from training.explain import raw_score

logger = logging.getLogger(__name__)

N_JOBS = 2  # the machine is shared: never more than two threads per model
_CATEGORIES = make_column_selector(dtype_include="category")
_NUMBERS = make_column_selector(dtype_exclude="category")


@dataclass
class Candidate:
    """A model to compare: a pipeline factory and the parameter space to search."""

    name: str
    make_pipeline: object  # callable(random_state) -> unfitted imblearn Pipeline
    param_distributions: dict = field(default_factory=dict)
    baseline: bool = False  # a baseline is compared but never registered
    # SMOTE trains on invented rows (fractional flags and category codes): its reason codes
    # describe those rows too, so it wins only when clearly cheaper (see train.choose_winner).
    synthetic_rows: bool = False


def linear_preprocess():
    """Median imputation + scaling for numbers, one-hot (missing as its own level) for text."""
    numbers = Pipeline(
        [
            ("impute", SimpleImputer(strategy="median", keep_empty_features=True)),
            ("scale", StandardScaler()),
        ]
    )
    categories = OneHotEncoder(handle_unknown="ignore", sparse_output=False)
    return ColumnTransformer(
        [("numeric", numbers, _NUMBERS), ("categorical", categories, _CATEGORIES)],
        verbose_feature_names_out=False,
    )


def tree_preprocess(impute=False):
    """Numbers as they are (trees handle missing values) and categories as integer codes.

    SMOTE interpolates between neighbours, which needs complete rows: ``impute=True``.
    """
    numbers = (
        SimpleImputer(strategy="median", keep_empty_features=True) if impute else "passthrough"
    )
    categories = OrdinalEncoder(
        handle_unknown="use_encoded_value", unknown_value=-1, encoded_missing_value=-1
    )
    return ColumnTransformer(
        [("numeric", numbers, _NUMBERS), ("categorical", categories, _CATEGORIES)],
        verbose_feature_names_out=False,
    )


def _pipeline(preprocess, classifier, sampler=None):
    steps = [("preprocess", preprocess)]
    if sampler is not None:
        steps.append(("sampler", sampler))
    return ImbPipeline([*steps, ("classifier", classifier)])


def _logreg(class_weight=None):
    return LogisticRegression(C=0.1, max_iter=300, class_weight=class_weight)


def _lgbm(random_state, class_weight=None):
    return LGBMClassifier(
        n_estimators=200,
        learning_rate=0.05,
        num_leaves=15,
        min_child_samples=40,
        subsample=0.8,
        subsample_freq=1,
        colsample_bytree=0.7,
        class_weight=class_weight,
        random_state=random_state,
        n_jobs=N_JOBS,
        verbose=-1,
    )


LOGREG_SPACE = {"classifier__C": loguniform(1e-3, 1.0)}
LGBM_SPACE = {
    "classifier__num_leaves": randint(7, 48),
    "classifier__learning_rate": loguniform(0.02, 0.15),
    "classifier__min_child_samples": randint(20, 120),
    "classifier__reg_lambda": loguniform(1e-3, 10.0),
    "classifier__colsample_bytree": uniform(0.4, 0.5),
}
HGB_SPACE = {
    "classifier__max_leaf_nodes": randint(7, 48),
    "classifier__learning_rate": loguniform(0.02, 0.15),
    "classifier__l2_regularization": loguniform(1e-3, 10.0),
}


def default_candidates():
    """Simple to complex, with the three ways of handling the 8 % default rate."""

    def under(seed):
        return RandomUnderSampler(random_state=seed)

    def smote(seed):
        return SMOTE(random_state=seed)

    return [
        Candidate(
            "dummy_prior",
            lambda seed: _pipeline(tree_preprocess(), DummyClassifier(strategy="prior")),
            baseline=True,
        ),
        Candidate(
            "logreg_class_weight",
            lambda seed: _pipeline(linear_preprocess(), _logreg("balanced")),
            LOGREG_SPACE,
        ),
        Candidate(
            "logreg_undersampling",
            lambda seed: _pipeline(linear_preprocess(), _logreg(), under(seed)),
            LOGREG_SPACE,
        ),
        Candidate(
            "logreg_smote",
            lambda seed: _pipeline(linear_preprocess(), _logreg(), smote(seed)),
            LOGREG_SPACE,
            synthetic_rows=True,
        ),
        Candidate(
            "hist_gradient_boosting_class_weight",
            # imputed: HistGradientBoosting's binning fails on a column that is all missing
            lambda seed: _pipeline(
                tree_preprocess(impute=True),
                HistGradientBoostingClassifier(
                    max_iter=100,
                    early_stopping=False,
                    class_weight="balanced",
                    random_state=seed,
                ),
            ),
            HGB_SPACE,
        ),
        Candidate(
            "lightgbm_class_weight",
            lambda seed: _pipeline(tree_preprocess(), _lgbm(seed, "balanced")),
            LGBM_SPACE,
        ),
        Candidate(
            "lightgbm_undersampling",
            lambda seed: _pipeline(tree_preprocess(), _lgbm(seed), under(seed)),
            LGBM_SPACE,
        ),
        Candidate(
            "lightgbm_smote",
            lambda seed: _pipeline(tree_preprocess(impute=True), _lgbm(seed), smote(seed)),
            LGBM_SPACE,
            synthetic_rows=True,
        ),
    ]


def fixture_candidates():
    """A lean trio for test fixtures: the baseline, the linear model and LightGBM."""
    wanted = {"dummy_prior", "logreg_class_weight", "lightgbm_class_weight"}
    return [candidate for candidate in default_candidates() if candidate.name in wanted]


def scoring_pipeline(fitted):
    """The fitted pipeline without its training-only re-sampling step."""
    return Pipeline([(name, step) for name, step in fitted.steps if name != "sampler"])


@dataclass
class SearchResult:
    """The best parameters of one candidate and its out-of-fold evidence."""

    candidate: Candidate
    params: dict
    oof_raw: np.ndarray
    cv_cost: float
    fold_costs: list
    cv_threshold_raw: float
    seconds: float
    draws: list


def cross_validated_raw(pipeline, X, y, folds):
    """Out-of-fold raw scores of ``pipeline`` over the given ``(train, valid)`` folds."""
    oof = np.zeros(len(y), dtype=float)
    for train_index, valid_index in folds:
        fitted = clone(pipeline).fit(X.iloc[train_index], y[train_index])
        oof[valid_index] = raw_score(scoring_pipeline(fitted), X.iloc[valid_index])
    return oof


def search(candidate, X, y, folds, n_iter, random_state):
    """Randomized search of ``candidate`` scored by the out-of-fold business cost."""
    started = time.perf_counter()
    draws = [{}]  # the hand-set defaults first, then random draws
    if candidate.param_distributions and n_iter > 1:
        sampler = ParameterSampler(
            candidate.param_distributions, n_iter=n_iter - 1, random_state=random_state
        )
        draws += [dict(draw) for draw in sampler]
    best = None
    history = []
    progress = tqdm(
        draws,
        desc=candidate.name,
        unit="draw",
        leave=False,
        file=sys.stderr,
        disable=len(draws) == 1,
    )
    for params in progress:
        pipeline = candidate.make_pipeline(random_state).set_params(**params)
        oof = cross_validated_raw(pipeline, X, y, folds)
        threshold, cost = best_threshold(y, oof)
        history.append({"params": _plain(params), "cv_cost": cost})
        if best is None or cost < best[2]:
            best = (params, oof, cost, threshold)
    params, oof, cost, threshold = best
    fold_costs = [business_cost(y[valid], is_refused(oof[valid], threshold)) for _, valid in folds]
    return SearchResult(
        candidate,
        _plain(params),
        oof,
        cost,
        fold_costs,
        threshold,
        time.perf_counter() - started,
        history,
    )


def _plain(params):
    """Parameters as plain Python numbers (for MLflow and JSON)."""
    return {key: value.item() if hasattr(value, "item") else value for key, value in params.items()}
