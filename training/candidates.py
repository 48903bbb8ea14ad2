"""The candidate models, from the baselines to the regularised LightGBM.

Two kinds: ``Candidate`` is an imbalanced-learn ``Pipeline`` (``preprocess -> [sampler] ->
classifier``) fitted on ``build_features``' frame; re-sampling sits inside the pipeline, so it only
ever touches the training part of each fold. ``BoosterCandidate`` is LightGBM trained natively on
``feature_matrix`` with its tree count chosen by early stopping on the cross-validation folds;
the champion among them becomes the merged fold booster of ``training.booster``.

The default run holds the candidates that earn their time (``default_candidates``); the ones that
never won on the real sample are behind ``train --all-candidates`` (``extra_candidates``).
"""

from dataclasses import dataclass, field

import numpy as np
from imblearn.over_sampling import SMOTENC
from imblearn.pipeline import Pipeline as ImbPipeline
from imblearn.under_sampling import RandomUnderSampler
from lightgbm import LGBMClassifier
from scipy.stats import loguniform
from sklearn.compose import ColumnTransformer, make_column_selector
from sklearn.dummy import DummyClassifier
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder, StandardScaler

from training.woe import WoEEncoder

N_JOBS = 2  # the machine is shared: never more than two threads per model
_CATEGORIES = make_column_selector(dtype_include="category")
_NUMBERS = make_column_selector(dtype_exclude="category")


@dataclass
class Candidate:
    """A scikit-learn pipeline to compare: a factory and the parameter space to search."""

    name: str
    make_pipeline: object  # callable(random_state) -> unfitted imblearn Pipeline
    param_distributions: dict = field(default_factory=dict)
    baseline: bool = False  # a baseline is compared but never registered
    # trains on invented rows (SMOTENC): wins only when better beyond the noise
    synthetic_rows: bool = False


# Regularisation for ~6,000 rows, found by the Optuna search of `train` on the real sample
# (3x5 CV, docs/methodology.md): shallow trees, large leaves, a tenth of the features per tree,
# strong L2, bagging. `--quick` uses these as they are; the full run searches around them.
FOUND_LIGHTGBM_PARAMS = {
    "num_leaves": 8,
    "max_depth": 4,
    "min_child_samples": 150,
    "feature_fraction": 0.1,
    "lambda_l2": 20.0,
    "bagging_fraction": 0.8,
    "cat_smooth": 50.0,
    "min_data_per_group": 100,
}


def lightgbm_space(trial):
    """The Optuna search space: what matters for small data."""
    return {
        "num_leaves": trial.suggest_int("num_leaves", 4, 32, log=True),
        "max_depth": trial.suggest_int("max_depth", 2, 6),
        "min_child_samples": trial.suggest_int("min_child_samples", 40, 400, log=True),
        "feature_fraction": trial.suggest_float("feature_fraction", 0.05, 0.5, log=True),
        "lambda_l2": trial.suggest_float("lambda_l2", 0.1, 100.0, log=True),
        "bagging_fraction": trial.suggest_float("bagging_fraction", 0.5, 1.0),
        "cat_smooth": trial.suggest_float("cat_smooth", 1.0, 100.0, log=True),
        "min_data_per_group": trial.suggest_int("min_data_per_group", 20, 300, log=True),
    }


@dataclass
class BoosterCandidate:
    """LightGBM on a matrix (``design``: "engineered" features or the "raw" application columns).

    ``rounds``: a fixed tree count, or None for early stopping on the CV folds; ``space``: an
    Optuna search space around ``params`` (searched in the full run only).
    """

    name: str
    params: dict
    design: str = "engineered"
    learning_rate: float = 0.05
    rounds: int | None = None
    space: object = None  # callable(optuna trial) -> params
    baseline: bool = False
    synthetic_rows: bool = False


def plain_lightgbm():
    """The obvious baseline: LightGBM with common settings on the raw application columns."""
    params = {"num_leaves": 15, "feature_fraction": 0.5, "bagging_fraction": 1.0}
    return BoosterCandidate(
        "lightgbm_plain_raw", params, design="raw", learning_rate=0.02, rounds=400, baseline=True
    )


def regularised_lightgbm():
    """Engineered features + strong regularisation + tree count by CV (+ Optuna, full run)."""
    return BoosterCandidate("lightgbm_regularised", FOUND_LIGHTGBM_PARAMS, space=lightgbm_space)


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

    SMOTENC needs complete rows: ``impute=True``. The codes are the last columns.
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


class SMOTENCOnCodes(SMOTENC):
    """SMOTENC that treats category codes and 0/1 flags as categories: a new row takes a
    neighbour's level or flag instead of a fraction no applicant has (plain SMOTE did)."""

    def __init__(self, random_state=None):
        super().__init__(categorical_features=[0], random_state=random_state)

    def fit_resample(self, X, y, **params):
        X = np.asarray(X, dtype=float)
        self.categorical_features = [
            j for j in range(X.shape[1]) if np.isin(np.unique(X[:, j]), (-1, 0, 1)).all()
        ] or [X.shape[1] - 1]
        return super().fit_resample(X, y, **params)


def _pipeline(preprocess, classifier, sampler=None):
    steps = [("preprocess", preprocess)]
    if sampler is not None:
        steps.append(("sampler", sampler))
    return ImbPipeline([*steps, ("classifier", classifier)])


def _logreg(class_weight=None, C=0.1):
    return LogisticRegression(C=C, max_iter=300, class_weight=class_weight)


def _lgbm(random_state, class_weight=None):
    return LGBMClassifier(
        n_estimators=300,
        learning_rate=0.03,
        num_leaves=8,
        max_depth=4,
        min_child_samples=150,
        subsample=0.8,
        subsample_freq=1,
        colsample_bytree=0.1,
        reg_lambda=20.0,
        class_weight=class_weight,
        random_state=random_state,
        n_jobs=N_JOBS,
        verbose=-1,
    )


LOGREG_SPACE = {"classifier__C": loguniform(1e-3, 1.0)}


def default_candidates():
    """The baselines, the linear models and the regularised LightGBM (the default run)."""
    return [
        Candidate(
            "dummy_prior",
            lambda seed: _pipeline(tree_preprocess(), DummyClassifier(strategy="prior")),
            baseline=True,
        ),
        plain_lightgbm(),
        Candidate(
            "logreg_class_weight",
            lambda seed: _pipeline(linear_preprocess(), _logreg("balanced")),
            LOGREG_SPACE,
        ),
        Candidate(
            "woe_scorecard",
            lambda seed: _pipeline(WoEEncoder(), _logreg(C=0.05)),
            {"classifier__C": loguniform(1e-3, 1.0)},
        ),
        regularised_lightgbm(),
    ]


def extra_candidates():
    """Candidates that never won on the real sample: ``train --all-candidates``."""
    return [
        Candidate(
            "logreg_undersampling",
            lambda seed: _pipeline(
                linear_preprocess(), _logreg(), RandomUnderSampler(random_state=seed)
            ),
            LOGREG_SPACE,
        ),
        Candidate(
            "hist_gradient_boosting_class_weight",
            # imputed: HistGradientBoosting's binning fails on a column that is all missing
            lambda seed: _pipeline(
                tree_preprocess(impute=True),
                HistGradientBoostingClassifier(
                    max_iter=100, early_stopping=False, class_weight="balanced", random_state=seed
                ),
            ),
        ),
        Candidate(
            "lightgbm_undersampling",
            lambda seed: _pipeline(
                tree_preprocess(), _lgbm(seed), RandomUnderSampler(random_state=seed)
            ),
        ),
        Candidate(
            "lightgbm_smotenc",
            lambda seed: _pipeline(
                tree_preprocess(impute=True), _lgbm(seed), SMOTENCOnCodes(random_state=seed)
            ),
            synthetic_rows=True,
        ),
    ]


def all_candidates():
    """Every candidate: the default run and the extras."""
    return [*default_candidates(), *extra_candidates()]


def fixture_candidates():
    """A lean trio for test fixtures: the baseline, the linear model and the LightGBM."""
    wanted = {"dummy_prior", "logreg_class_weight", "lightgbm_regularised"}
    return [candidate for candidate in default_candidates() if candidate.name in wanted]


def scoring_pipeline(fitted):
    """The fitted pipeline without its training-only re-sampling step."""
    return Pipeline([(name, step) for name, step in fitted.steps if name != "sampler"])
