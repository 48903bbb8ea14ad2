"""Weight-of-evidence binning: the input of the classic credit scorecard (a logistic regression).

Each column becomes the weight of evidence of the bin its value falls in: quantile bins for
numbers, one bin per level for categories, and missing values in a bin of their own. A bin's
weight of evidence is ``ln(share of the defaults in it / share of the good clients in it)``
(positive = riskier), smoothed towards 0 for small bins so that a bin of five clients does not
get an extreme value.
"""

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin


class WoEEncoder(BaseEstimator, TransformerMixin):
    """Replace every column of ``build_features``' frame by its bin's weight of evidence.

    ``max_bins`` quantile bins per numeric column; ``smoothing`` pseudo-clients of each class
    added to every bin.
    """

    def __init__(self, max_bins=8, smoothing=10.0):
        self.max_bins = max_bins
        self.smoothing = smoothing

    def fit(self, X, y):
        """Learn the bin edges and the weight of evidence of every bin on ``X``, ``y``."""
        y = np.asarray(y).astype(int)
        self.feature_names_in_ = np.asarray(X.columns, dtype=object)
        self.edges_, self.woe_ = [], []
        for column in X.columns:
            edges = self._edges(X[column])
            bins = _bin(X[column], edges)
            self.edges_.append(edges)
            self.woe_.append(self._weights(bins, y, _bin_count(X[column], edges)))
        return self

    def transform(self, X):
        """The weight of evidence of each value's bin, as a float matrix."""
        columns = [
            woe[_bin(X[name], edges)]
            for name, edges, woe in zip(self.feature_names_in_, self.edges_, self.woe_, strict=True)
        ]
        return np.column_stack(columns) if columns else np.empty((len(X), 0))

    def get_feature_names_out(self, input_features=None):
        return self.feature_names_in_.copy()

    def _edges(self, values):
        if isinstance(values.dtype, pd.CategoricalDtype):
            return None
        known = values.to_numpy(dtype=float)
        known = known[~np.isnan(known)]
        if not len(known):
            return np.empty(0)
        quantiles = np.linspace(0, 1, self.max_bins + 1)[1:-1]
        return np.unique(np.quantile(known, quantiles))

    def _weights(self, bins, y, n_bins):
        defaults = np.bincount(bins, weights=y, minlength=n_bins)
        goods = np.bincount(bins, weights=1 - y, minlength=n_bins)
        default_share = (defaults + self.smoothing) / (y.sum() + self.smoothing * n_bins)
        good_share = (goods + self.smoothing) / ((1 - y).sum() + self.smoothing * n_bins)
        return np.log(default_share / good_share)


def _bin_count(values, edges):
    if edges is None:
        return len(values.cat.categories) + 1
    return len(edges) + 2


def _bin(values, edges):
    """Bin index per row: 0 is missing; categories by level, numbers by edges."""
    if edges is None:
        return values.cat.codes.to_numpy() + 1
    numbers = values.to_numpy(dtype=float)
    bins = np.searchsorted(edges, numbers, side="right") + 1
    return np.where(np.isnan(numbers), 0, bins)
