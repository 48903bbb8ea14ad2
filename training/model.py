"""The registered model: scorer + calibrator + threshold + business groups + report.

``CreditRiskModel`` is an MLflow ``PythonModel``: the registry stores it with the ``training``
package as code, so ``mlflow.pyfunc.load_model("models:/credit-default-risk@champion")`` works in
any process that has the pinned dependencies, and ``unwrap_python_model()`` gives this object.
The API, the pages, batch scoring and ``mlflow models serve`` all go through ``score``: one pass
that builds the features, scores, explains and calibrates.
"""

import mlflow.pyfunc
import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression

OUTPUT_COLUMN = "probability_of_default"


class ScoreCalibrator(BaseEstimator):
    """Maps raw scores (log-odds) to calibrated probabilities of default.

    Fitted on out-of-fold scores: class weights and re-sampling move the scores away from
    true default rates, and "probability of default" must mean what it says.
    ``method`` is ``"sigmoid"`` (Platt scaling, keeps the ranking strictly) or ``"isotonic"``.
    Either is kept as plain numbers (a slope and an intercept, or the isotonic knots), so
    calibrating is a closed form or an interpolation, never a scikit-learn call.
    """

    def __init__(self, method="sigmoid"):
        self.method = method

    def fit(self, raw, y):
        """Fit the mapping on out-of-fold raw scores ``raw`` and outcomes ``y``."""
        raw = np.asarray(raw, dtype=float).ravel()
        if self.method == "sigmoid":
            platt = LogisticRegression(C=1e6, max_iter=1000).fit(raw.reshape(-1, 1), y)
            self.slope_ = float(platt.coef_[0, 0])
            self.intercept_ = float(platt.intercept_[0])
        elif self.method == "isotonic":
            isotonic = IsotonicRegression(y_min=0, y_max=1, out_of_bounds="clip").fit(raw, y)
            self.knots_x_ = np.asarray(isotonic.X_thresholds_, dtype=float)
            self.knots_y_ = np.asarray(isotonic.y_thresholds_, dtype=float)
        else:
            raise ValueError(f"method must be 'sigmoid' or 'isotonic', got {self.method!r}")
        return self

    def predict(self, raw):
        """Calibrated probability of default for each raw score."""
        raw = np.asarray(raw, dtype=float).ravel()
        if self.method == "sigmoid":
            return 1.0 / (1.0 + np.exp(-(self.slope_ * raw + self.intercept_)))
        return np.clip(np.interp(raw, self.knots_x_, self.knots_y_), 0.0, 1.0)


class CreditRiskModel(mlflow.pyfunc.PythonModel):
    """Scores raw applications: ``predict`` (pyfunc), ``predict_proba``, ``explain``, ``score``.

    ``scorer`` turns raw rows into raw scores and per-column contributions (``BoosterScorer``
    for the LightGBM champion, ``PipelineScorer`` for the scikit-learn candidates);
    ``sources[j]`` is the model feature behind contribution column ``j`` and ``group_of`` its
    business group. ``threshold`` is on the calibrated probability scale: refuse when
    ``probability_of_default >= threshold``.
    """

    def __init__(
        self,
        scorer,
        calibrator,
        threshold,
        model_name,
        groups,
        group_of,
        input_columns,
        metrics=None,
        report=None,
        reference=None,
    ):
        self.scorer = scorer
        self.calibrator = calibrator
        self.threshold = float(threshold)
        self.model_name = model_name
        self.groups = list(groups)
        self.feature_names = list(scorer.feature_names)
        self.input_columns = list(input_columns)
        self.metrics = dict(metrics or {})
        self.report = dict(report or {})
        self.reference = reference
        membership = [self.groups.index(group_of(source)) for source in scorer.sources]
        self.membership = np.zeros((len(membership), len(self.groups)))
        self.membership[np.arange(len(membership)), membership] = 1.0

    @property
    def explanation_method(self):
        return self.scorer.method

    def features(self, frame):
        """The model matrix for raw application rows (absent columns count as missing)."""
        from training.features import build_features

        return build_features(_as_frame(frame)).reindex(columns=self.feature_names)

    def raw_score(self, frame):
        """Uncalibrated log-odds of default, the space where explanations add up."""
        return self.scorer.raw_score(self.scorer.prepare(_as_input(frame)))

    def predict_proba(self, frame):
        """Calibrated probability of default per row, as a 1-D numpy array."""
        return self.calibrator.predict(self.raw_score(frame))

    def predict(self, context, model_input, params=None):
        """pyfunc entry point: one column ``probability_of_default``, same index as the input."""
        frame = _as_frame(model_input)
        return pd.DataFrame({OUTPUT_COLUMN: self.predict_proba(frame)}, index=frame.index)

    def feature_contributions(self, frame):
        """``(contributions per scorer column, base value)`` for raw rows (the report's plots)."""
        return self.scorer.contributions(self.scorer.prepare(_as_input(frame)))

    def score(self, rows):
        """One pass for raw rows (DataFrame or list of dicts): ``(group contributions, base
        value, raw score, probability)`` as numpy arrays; contributions + base == raw score."""
        values, base = self.scorer.contributions(self.scorer.prepare(_as_input(rows)))
        raw = values.sum(axis=1) + base
        return values @ self.membership, base, raw, self.calibrator.predict(raw)

    def explain(self, frame):
        """``(contributions per business group, base value, raw score)`` for each row.

        Contributions are in raw-score (log-odds) space and add up:
        ``contributions.sum(axis=1) + base_value == raw_score``.
        """
        frame = _as_frame(frame)
        prepared = self.scorer.prepare(frame)
        values, base = self.scorer.contributions(prepared)
        # the raw score from the scorer itself, not from the sum: additivity stays checkable
        raw = self.scorer.raw_score(prepared)
        grouped = pd.DataFrame(values @ self.membership, columns=self.groups, index=frame.index)
        return grouped, base, raw


def _as_input(rows):
    """DataFrames and lists of dicts are read as they are; one dict is one row."""
    if isinstance(rows, pd.DataFrame | list):
        return rows
    return _as_frame(rows)


def _as_frame(model_input):
    """Accept a DataFrame, one record (dict) or a list of records."""
    if isinstance(model_input, pd.DataFrame):
        return model_input
    if isinstance(model_input, dict):
        return pd.DataFrame([model_input])
    return pd.DataFrame(list(model_input))
