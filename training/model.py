"""The registered model: features + fitted pipeline + calibrator + threshold + explainer.

``CreditRiskModel`` is an MLflow ``PythonModel``: the registry stores it with the ``training``
package as code, so ``mlflow.pyfunc.load_model("models:/credit-default-risk@champion")`` works in
any process that has the pinned dependencies, and ``unwrap_python_model()`` gives this object.
"""

import mlflow.pyfunc
import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression

from training.explain import raw_score

OUTPUT_COLUMN = "probability_of_default"


class ScoreCalibrator(BaseEstimator):
    """Maps raw scores (log-odds) to calibrated probabilities of default.

    Fitted on out-of-fold scores: class weights and re-sampling move the scores away from
    true default rates, and "probability of default" must mean what it says.
    ``method`` is ``"sigmoid"`` (Platt scaling, keeps the ranking strictly) or ``"isotonic"``.
    """

    def __init__(self, method="sigmoid"):
        self.method = method

    def fit(self, raw, y):
        """Fit the mapping on out-of-fold raw scores ``raw`` and outcomes ``y``."""
        raw = np.asarray(raw, dtype=float).reshape(-1, 1)
        if self.method == "sigmoid":
            self.mapping_ = LogisticRegression(C=1e6, max_iter=1000).fit(raw, y)
        elif self.method == "isotonic":
            self.mapping_ = IsotonicRegression(y_min=0, y_max=1, out_of_bounds="clip")
            self.mapping_.fit(raw.ravel(), y)
        else:
            raise ValueError(f"method must be 'sigmoid' or 'isotonic', got {self.method!r}")
        return self

    def predict(self, raw):
        """Calibrated probability of default for each raw score."""
        raw = np.asarray(raw, dtype=float).reshape(-1, 1)
        if self.method == "sigmoid":
            return self.mapping_.predict_proba(raw)[:, 1]
        return np.clip(self.mapping_.predict(raw.ravel()), 0.0, 1.0)


class CreditRiskModel(mlflow.pyfunc.PythonModel):
    """Scores raw applications: ``predict`` (pyfunc), ``predict_proba`` and ``explain``.

    ``pipeline`` is a fitted ``preprocess -> classifier`` pipeline on the matrix that
    ``training.features.build_features`` returns (re-sampling steps are training-only and are
    not part of it). ``threshold`` is on the calibrated probability scale: refuse when
    ``probability_of_default >= threshold``.
    """

    def __init__(
        self,
        pipeline,
        calibrator,
        explainer,
        threshold,
        model_name,
        feature_names,
        input_columns,
        metrics,
        report,
        reference,
    ):
        self.pipeline = pipeline
        self.calibrator = calibrator
        self.explainer = explainer
        self.threshold = float(threshold)
        self.model_name = model_name
        self.feature_names = list(feature_names)
        self.input_columns = list(input_columns)
        self.metrics = dict(metrics)
        self.report = dict(report)
        self.reference = reference

    def features(self, frame):
        """The model matrix for raw application rows (absent columns count as missing)."""
        from training.features import build_features

        frame = _as_frame(frame)
        return build_features(frame).reindex(columns=self.feature_names)

    def raw_score(self, frame):
        """Uncalibrated log-odds of default, the space where explanations add up."""
        return raw_score(self.pipeline, self.features(frame))

    def predict_proba(self, frame):
        """Calibrated probability of default per row, as a 1-D numpy array."""
        return self.predict_proba_matrix(self.features(frame))

    def predict_proba_matrix(self, X):
        """``predict_proba`` for rows already turned into the model matrix (``features``)."""
        return self.calibrator.predict(raw_score(self.pipeline, X))

    def predict(self, context, model_input, params=None):
        """pyfunc entry point: one column ``probability_of_default``, same index as the input."""
        frame = _as_frame(model_input)
        return pd.DataFrame({OUTPUT_COLUMN: self.predict_proba(frame)}, index=frame.index)

    def explain(self, frame):
        """``(contributions per business group, base value, raw score)`` for each row.

        Contributions are in raw-score (log-odds) space and add up:
        ``contributions.sum(axis=1) + base_value == raw_score``.
        """
        frame = _as_frame(frame)
        values, base_value, raw = self.explainer.explain(self.features(frame))
        contributions = pd.DataFrame(values, columns=self.explainer.groups, index=frame.index)
        return contributions, base_value, raw


def _as_frame(model_input):
    """Accept a DataFrame, one record (dict) or a list of records."""
    if isinstance(model_input, pd.DataFrame):
        return model_input
    if isinstance(model_input, dict):
        return pd.DataFrame([model_input])
    return pd.DataFrame(list(model_input))
