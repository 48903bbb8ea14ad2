"""Column samplers for the synthetic generator: marginals from the measured profile, rounding
like the real files, missing values, and the parent -> child row expansion.

Everything here is vectorised numpy; `rng` is always a `numpy.random.Generator`.
"""

import numpy as np
import pandas as pd
from scipy.special import expit, ndtr

from training.schema import TABLES
from training.synthetic.profile import (
    CATEGORY_SHARES,
    GRID,
    MISSING_RATES,
    QUANTILES,
    VALUE_SHARES,
)

# Prefixes of columns the real files store as whole numbers (DAYS_*, counts, hours ...).
_WHOLE_PREFIXES = ("DAYS_", "CNT_", "MONTHS_", "SK_DPD", "HOUR_", "NUM_", "SELLERPLACE", "OWN_CAR")


def decimals_of(column):
    """How many decimals the real file shows for a numeric column (None: full precision)."""
    if column.startswith(_WHOLE_PREFIXES):
        return 0
    if column.startswith("AMT_"):
        return 2
    if column.startswith(("EXT_SOURCE", "RATE_")):
        return None
    return 4


def quantile_draw(quantiles, u):
    """Inverse CDF through the measured quantiles (piecewise linear) at uniforms `u`."""
    return np.interp(u, GRID, quantiles)


def gaussian_uniform(z):
    """Map standard normals to uniforms (the Gaussian copula used to correlate columns)."""
    return ndtr(z)


def _discrete_at(shares, u):
    """Inverse CDF of a discrete {value: share} distribution at uniforms `u`."""
    values = np.array(list(shares), dtype=object if isinstance(next(iter(shares)), str) else float)
    weights = np.fromiter(shares.values(), dtype=float)
    cumulative = np.cumsum(weights / weights.sum())
    codes = np.searchsorted(cumulative, u, side="right")
    return values[np.minimum(codes, len(values) - 1)]


def draw_levels(rng, shares, n):
    """Draw `n` category levels with the given {level: share}."""
    return _discrete_at(shares, rng.random(n))


def value_at(table, column, u):
    """A numeric column's measured distribution evaluated at uniforms `u` (inverse CDF)."""
    if column in VALUE_SHARES[table]:
        return _discrete_at(VALUE_SHARES[table][column], u)
    values = quantile_draw(QUANTILES[table][column], u)
    places = decimals_of(column)
    return values if places is None else np.round(values, places)


def draw_marginal(rng, table, column, n, u=None):
    """Draw one column from its measured marginal (without missing values)."""
    u = rng.random(n) if u is None else u
    if column in CATEGORY_SHARES[table]:
        return _discrete_at(CATEGORY_SHARES[table][column], u)
    if column in VALUE_SHARES[table] or column in QUANTILES[table]:
        return value_at(table, column, u)
    return np.zeros(n)


def missing_rate(table, column):
    """Share of missing values measured on the real sample (0 when never missing)."""
    return MISSING_RATES[table].get(column, 0.0)


def blank_out(values, mask):
    """Return `values` with the rows in `mask` set missing (NaN or None by dtype)."""
    if not mask.any():
        return values
    values = values.astype(object if values.dtype == object else float, copy=True)
    values[mask] = None if values.dtype == object else np.nan
    return values


def with_missing(rng, table, column, values, u=None):
    """Blank a column at its measured missing rate; a shared `u` nests the missing patterns."""
    rate = missing_rate(table, column)
    if rate == 0:
        return values
    u = rng.random(len(values)) if u is None else u
    return blank_out(values, u < rate)


def bernoulli(rng, probability):
    """One draw per row with per-row probability."""
    return rng.random(np.shape(probability)) < probability


def logistic(x):
    """Logistic sigmoid (probability from log-odds)."""
    return expit(x)


def expand(counts):
    """Parent index and 0-based position of each child row, for `counts` children per parent."""
    counts = np.asarray(counts, dtype=np.int64)
    parent = np.repeat(np.arange(len(counts)), counts)
    starts = np.cumsum(counts) - counts
    position = np.arange(parent.size) - np.repeat(starts, counts)
    return parent, position


def to_frame(table, columns):
    """Assemble a DataFrame in the real file's column order and dtypes (ints as int64)."""
    frame = pd.DataFrame({name: columns[name] for name in TABLES[table]}, copy=False)
    for name, (kind, _levels) in TABLES[table].items():
        if kind == "int":
            frame[name] = frame[name].astype(np.int64)
        elif kind == "float":
            frame[name] = frame[name].astype(float)
    return frame
