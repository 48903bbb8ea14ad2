"""Raw scores and additive local explanations for the fitted scoring pipeline.

Every explanation lives in raw-score space (log-odds before calibration), where contributions
add up exactly: ``contributions.sum(axis=1) + base_value == raw_score``. Three exact methods,
picked by the kind of classifier: LightGBM's own ``pred_contrib``, ``coef * (x - mean)`` for a
linear model, shap's TreeExplainer for the other tree ensembles.
"""

import numpy as np
from lightgbm import LGBMClassifier
from sklearn.base import BaseEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder

_EPSILON = 1e-12


def raw_score(pipeline, X):
    """Log-odds of default from a fitted ``preprocess -> classifier`` pipeline."""
    return classifier_raw_score(pipeline[-1], pipeline[:-1].transform(X))


def classifier_raw_score(classifier, Z):
    """Log-odds of default from the classifier alone, on already preprocessed rows ``Z``."""
    if isinstance(classifier, LGBMClassifier):
        return np.asarray(classifier.predict(Z, raw_score=True), dtype=float)
    if hasattr(classifier, "decision_function"):
        return np.asarray(classifier.decision_function(Z), dtype=float)
    probability = np.clip(classifier.predict_proba(Z)[:, 1], _EPSILON, 1 - _EPSILON)
    return np.log(probability / (1 - probability))


def source_features(preprocess):
    """Name of the input feature behind each column the fitted preprocessing step outputs."""
    if not hasattr(preprocess, "transformers_"):  # one output column per input (e.g. WoE)
        return np.asarray(preprocess.get_feature_names_out(), dtype=object)
    sources = []
    for name, transformer, columns in preprocess.transformers_:
        if name == "remainder" and transformer == "drop":
            continue
        encoder = transformer[-1] if isinstance(transformer, Pipeline) else transformer
        if isinstance(encoder, OneHotEncoder):
            for column, levels in zip(columns, encoder.categories_, strict=True):
                sources.extend([column] * len(levels))
        else:
            sources.extend(columns)
    return np.asarray(sources, dtype=object)


class ContributionExplainer(BaseEstimator):
    """Per-feature contributions of a fitted scoring pipeline, summed into business groups.

    ``group_of`` maps an input feature name to its business group; ``groups`` fixes the
    order of the output columns.
    """

    def __init__(self, group_of, groups):
        self.group_of = group_of
        self.groups = groups

    def fit(self, pipeline, X):
        """Learn what the explanation needs (background mean, tree explainer) from ``X``."""
        self.pipeline_ = pipeline
        self.classifier_ = pipeline[-1]
        preprocess = pipeline[:-1]
        Z = np.asarray(preprocess.transform(X), dtype=float)
        self.sources_ = source_features(preprocess[-1])
        if len(self.sources_) != Z.shape[1]:
            raise ValueError(f"{len(self.sources_)} source names for {Z.shape[1]} columns")
        if isinstance(self.classifier_, LGBMClassifier):
            self.method_ = "lightgbm_pred_contrib"
        elif isinstance(self.classifier_, LogisticRegression):
            self.method_ = "linear_coef_times_centred_value"
            self.mean_ = Z.mean(axis=0)
        else:
            self.method_ = "shap_tree_explainer"
        membership = [self.groups.index(self.group_of(source)) for source in self.sources_]
        self.membership_ = np.zeros((Z.shape[1], len(self.groups)))
        self.membership_[np.arange(Z.shape[1]), membership] = 1.0
        return self

    def feature_contributions(self, X):
        """``(contributions per transformed column, base value, transformed matrix)``."""
        Z = np.asarray(self.pipeline_[:-1].transform(X), dtype=float)
        if self.method_ == "lightgbm_pred_contrib":
            values = np.asarray(self.classifier_.predict(Z, pred_contrib=True), dtype=float)
            return values[:, :-1], float(values[0, -1]), Z
        if self.method_ == "linear_coef_times_centred_value":
            coef = self.classifier_.coef_.ravel()
            base = float(self.classifier_.intercept_[0] + coef @ self.mean_)
            return coef * (Z - self.mean_), base, Z
        explainer = self._tree_explainer()
        values = np.asarray(explainer.shap_values(Z), dtype=float)
        if values.ndim == 3:  # one slice per class: keep the default class
            values = values[..., -1]
        base = np.ravel(explainer.expected_value)[-1]
        return values, float(base), Z

    def _tree_explainer(self):
        """shap's TreeExplainer, built on first use and never pickled with the model."""
        if getattr(self, "_tree_explainer_cache", None) is None:
            import shap  # heavy; only the tree ensembles other than LightGBM need it

            self._tree_explainer_cache = shap.TreeExplainer(self.classifier_)
        return self._tree_explainer_cache

    def __getstate__(self):
        state = super().__getstate__()
        state.pop("_tree_explainer_cache", None)
        return state

    def group_contributions(self, X):
        """``(contributions per business group, base value)`` as a numpy matrix and a float."""
        values, base, _ = self.feature_contributions(X)
        return values @ self.membership_, base

    def explain(self, X):
        """``(group contributions, base value, raw score)`` with one pass of the preprocessing.

        The raw score comes from the classifier itself, not from the sum, so that
        ``contributions.sum(axis=1) + base == raw score`` stays a checkable fact.
        """
        values, base, Z = self.feature_contributions(X)
        return values @ self.membership_, base, classifier_raw_score(self.classifier_, Z)


class PipelineScorer:
    """A fitted scikit-learn ``preprocess -> classifier`` pipeline and its explainer, behind the
    scorer interface of ``training.model.CreditRiskModel`` (the LightGBM champion has the fast
    ``training.booster.BoosterScorer`` instead).

    Its input is ``build_features``' DataFrame: the pipeline's encoders read pandas categories.
    """

    def __init__(self, pipeline, explainer, feature_names):
        self.pipeline = pipeline
        self.explainer = explainer
        self.feature_names = list(feature_names)
        self.sources = list(explainer.sources_)

    @property
    def method(self):
        return self.explainer.method_

    def prepare(self, rows):
        """The pipeline's input for raw rows (DataFrame or list of dicts)."""
        from training.features import build_features

        return build_features(rows).reindex(columns=self.feature_names)

    def raw_score(self, X):
        """Log-odds of default from the pipeline's classifier."""
        return raw_score(self.pipeline, X)

    def contributions(self, X):
        """``(contributions per transformed column, base value)``."""
        values, base, _ = self.explainer.feature_contributions(X)
        return values, base
