"""The one feature function for training and serving, and the business groups of its columns.

`build_features(frame)` turns raw application columns (plus, optionally, the history columns of
`history_aggregates`) into the model matrix X. It is a pure function with no fitted state, and it
is cheap for a single row: all column lists and category levels are computed once at import.
"""

from collections.abc import Mapping

import numpy as np
import pandas as pd

from training.domain import NOT_EMPLOYED_DAYS
from training.feature_groups import (
    GROUP_LABELS,
    NEVER_A_REFUSAL_REASON,
    PROTECTED_GROUPS,
    group_for_column,
)
from training.history import HISTORY_COLUMNS, history_aggregates
from training.schema import TABLES

__all__ = [
    "APPLICATION_COLUMNS",
    "CATEGORY_LEVELS",
    "FEATURE_GROUPS",
    "FEATURE_NAMES",
    "GROUP_LABELS",
    "HISTORY_COLUMNS",
    "NEVER_A_REFUSAL_REASON",
    "PROTECTED_COLUMNS",
    "PROTECTED_GROUPS",
    "build_features",
    "feature_names",
    "group_of",
    "history_aggregates",
]

# Never used by the model: fairness (gender, family status) and identifiers / the label.
PROTECTED_COLUMNS = ("CODE_GENDER", "NAME_FAMILY_STATUS")
NOT_FEATURES = {"SK_ID_CURR", "TARGET", *PROTECTED_COLUMNS}

# "XNA" is the files' code for "not available"; it becomes a missing value.
MISSING_LEVELS = {"XNA"}

_SCHEMA = TABLES["application_train"]
APPLICATION_COLUMNS = [column for column in _SCHEMA if column not in NOT_FEATURES]
NUMERIC_COLUMNS = [c for c in APPLICATION_COLUMNS if _SCHEMA[c][0] != "category"]
CATEGORY_COLUMNS = [c for c in APPLICATION_COLUMNS if _SCHEMA[c][0] == "category"]
CATEGORY_LEVELS = {
    column: [level for level in _SCHEMA[column][1] if level not in MISSING_LEVELS]
    for column in CATEGORY_COLUMNS
}
_LEVEL_CODES = {
    column: {level: code for code, level in enumerate(levels)}
    for column, levels in CATEGORY_LEVELS.items()
}
_CATEGORY_DTYPES = {
    column: pd.CategoricalDtype(levels) for column, levels in CATEGORY_LEVELS.items()
}
DOCUMENT_FLAGS = [c for c in NUMERIC_COLUMNS if c.startswith("FLAG_DOCUMENT_")]
EXT_SOURCES = ["EXT_SOURCE_1", "EXT_SOURCE_2", "EXT_SOURCE_3"]

ENGINEERED_COLUMNS = [
    "DAYS_EMPLOYED_ANOMALY",
    "CREDIT_INCOME_RATIO",
    "ANNUITY_INCOME_RATIO",
    "ANNUITY_CREDIT_RATIO",
    "CREDIT_TERM",
    "GOODS_CREDIT_RATIO",
    "CREDIT_GOODS_DIFFERENCE",
    "EMPLOYED_AGE_RATIO",
    "INCOME_PER_FAMILY_MEMBER",
    "CHILDREN_FAMILY_RATIO",
    "DOCUMENT_COUNT",
    "EXT_SOURCES_MEAN",
    "EXT_SOURCES_MIN",
    "EXT_SOURCES_MAX",
    "EXT_SOURCES_STD",
    "EXT_SOURCES_COUNT",
    "BUREAU_ACTIVE_DEBT_INCOME_RATIO",
]
NUMERIC_FEATURES = [*NUMERIC_COLUMNS, *ENGINEERED_COLUMNS, *HISTORY_COLUMNS]
# Numeric block first, categories last: the order never depends on the input.
FEATURE_NAMES = [*NUMERIC_FEATURES, *CATEGORY_COLUMNS]
FEATURE_GROUPS = {feature: group_for_column(feature) for feature in FEATURE_NAMES}
_INPUT_NUMERIC = [*NUMERIC_COLUMNS, *HISTORY_COLUMNS]
_POSITION = {column: i for i, column in enumerate(_INPUT_NUMERIC)}
_ENGINEERING_INPUTS = [
    "DAYS_EMPLOYED",
    "DAYS_BIRTH",
    "AMT_INCOME_TOTAL",
    "AMT_CREDIT",
    "AMT_ANNUITY",
    "AMT_GOODS_PRICE",
    "CNT_FAM_MEMBERS",
    "CNT_CHILDREN",
    "BUREAU_ACTIVE_DEBT_SUM",
]


def feature_names() -> list[str]:
    """The output columns of `build_features`, in their fixed order."""
    return list(FEATURE_NAMES)


def group_of(feature: str) -> str:
    """The business group key of one output feature (a KeyError names an unknown one)."""
    try:
        return FEATURE_GROUPS[feature]
    except KeyError:
        raise KeyError(f"{feature} is not an output column of build_features") from None


def build_features(frame) -> pd.DataFrame:
    """Model matrix X from raw application columns (+ optional history columns).

    `frame`: DataFrame (or one dict / Series, or a list of dicts) with Kaggle column names, any
    subset, any order; absent columns are missing. Returns the same index and the
    `FEATURE_NAMES` columns: float32 numbers, then categories with the fixed levels
    `CATEGORY_LEVELS` (unseen levels become missing).
    """
    if isinstance(frame, pd.Series):
        frame = frame.to_dict()
    if isinstance(frame, Mapping):
        # the API's path: one application, read without building an intermediate DataFrame
        numbers, categories = _record_numbers(frame), _record_categories(frame)
        index = pd.RangeIndex(1)
    else:
        frame = frame if isinstance(frame, pd.DataFrame) else pd.DataFrame(list(frame))
        numbers = _numeric_matrix(frame)
        categories = {column: _category(frame, column) for column in CATEGORY_COLUMNS}
        index = frame.index
    engineered = _engineered(numbers)
    block = np.concatenate(
        [numbers[:, : len(NUMERIC_COLUMNS)], engineered, numbers[:, len(NUMERIC_COLUMNS) :]], axis=1
    )
    features = pd.DataFrame(block.astype("float32"), index=index, columns=NUMERIC_FEATURES)
    return pd.concat([features, pd.DataFrame(categories, index=index)], axis=1)


def _record_numbers(record: Mapping) -> np.ndarray:
    values = [record.get(column) for column in _INPUT_NUMERIC]
    try:
        return np.array([values], dtype="float64")  # None becomes NaN
    except (TypeError, ValueError):
        return _numeric_matrix(pd.DataFrame([record]))


def _record_categories(record: Mapping) -> dict[str, pd.Categorical]:
    categories = {}
    for column in CATEGORY_COLUMNS:
        value = record.get(column)
        code = _LEVEL_CODES[column].get(value, -1) if isinstance(value, str) else -1
        categories[column] = pd.Categorical.from_codes([code], dtype=_CATEGORY_DTYPES[column])
    return categories


def _category(frame: pd.DataFrame, column: str) -> pd.Categorical:
    """A text column recoded to the fixed levels: XNA and unseen levels become missing."""
    dtype = _CATEGORY_DTYPES[column]
    if column not in frame.columns:
        return pd.Categorical.from_codes(np.full(len(frame), -1), dtype=dtype)
    values = frame[column]
    if isinstance(values.dtype, pd.CategoricalDtype):
        # recoding the categories, not the rows: fast for the 307k training rows
        return values.astype(dtype).array
    return pd.Categorical(values.to_numpy(dtype=object), dtype=dtype)


def _numeric_matrix(frame: pd.DataFrame) -> np.ndarray:
    """Raw numeric + history columns as float64 (absent → NaN), anomalies cleaned."""
    present = [column for column in _INPUT_NUMERIC if column in frame.columns]
    matrix = np.full((len(frame), len(_INPUT_NUMERIC)), np.nan)
    if present:
        values = frame[present]
        try:
            matrix[:, [_POSITION[c] for c in present]] = values.to_numpy(
                dtype="float64", na_value=np.nan
            )
        except (TypeError, ValueError):
            matrix[:, [_POSITION[c] for c in present]] = _coerce_numbers(values)
    return matrix


def _coerce_numbers(values: pd.DataFrame) -> np.ndarray:
    """Slow path for object columns (JSON input): numbers or missing, else a clear error."""
    columns = []
    for column in values.columns:
        parsed = pd.to_numeric(values[column], errors="coerce")
        bad = parsed.isna() & values[column].notna()
        if bad.any():
            raise ValueError(
                f"column {column} must be numeric; got {values[column][bad].iloc[0]!r}"
            )
        columns.append(parsed.to_numpy(dtype="float64", na_value=np.nan))
    return np.column_stack(columns)


def _ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        result = numerator / denominator
    result[~np.isfinite(result)] = np.nan
    return result


def _engineered(numbers: np.ndarray) -> np.ndarray:
    """Ratios and summaries; cleans DAYS_EMPLOYED in `numbers` in place."""
    col = {column: numbers[:, _POSITION[column]] for column in _ENGINEERING_INPUTS}
    employed = col["DAYS_EMPLOYED"]
    anomaly = np.where(np.isnan(employed), np.nan, employed == NOT_EMPLOYED_DAYS)
    employed[employed == NOT_EMPLOYED_DAYS] = np.nan  # a view: cleans `numbers` too
    income, credit, annuity = col["AMT_INCOME_TOTAL"], col["AMT_CREDIT"], col["AMT_ANNUITY"]
    goods, family = col["AMT_GOODS_PRICE"], col["CNT_FAM_MEMBERS"]
    sources = numbers[:, [_POSITION[c] for c in EXT_SOURCES]]
    known = ~np.isnan(sources)
    count = known.sum(axis=1)
    filled = np.where(known, sources, 0.0)
    mean = _ratio(filled.sum(axis=1), count.astype("float64"))
    spread = np.sqrt(
        _ratio(
            (np.where(known, sources - mean[:, None], 0.0) ** 2).sum(axis=1),
            count.astype("float64"),
        )
    )
    documents = numbers[:, [_POSITION[c] for c in DOCUMENT_FLAGS]]
    engineered = [
        anomaly,
        _ratio(credit, income),
        _ratio(annuity, income),
        _ratio(annuity, credit),
        _ratio(credit, annuity),
        _ratio(goods, credit),
        credit - goods,
        _ratio(employed, col["DAYS_BIRTH"]),
        _ratio(income, family),
        _ratio(col["CNT_CHILDREN"], family),
        np.where(np.isnan(documents).all(axis=1), np.nan, np.nansum(documents, axis=1))
        if len(documents)
        else np.empty(0),
        mean,
        np.where(count > 0, np.where(known, sources, np.inf).min(axis=1), np.nan),
        np.where(count > 0, np.where(known, sources, -np.inf).max(axis=1), np.nan),
        spread,
        count.astype("float64"),
        _ratio(col["BUREAU_ACTIVE_DEBT_SUM"], income),
    ]
    return np.column_stack(engineered) if len(numbers) else np.empty((0, len(ENGINEERED_COLUMNS)))
