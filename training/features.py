"""The one feature function for training and serving, and the business groups of its columns.

`build_features(frame)` turns raw application columns (plus, optionally, the history columns of
`history_aggregates`) into the model matrix X. It is a pure function with no fitted state.
`feature_matrix(frame)` is the same matrix as plain float32 numbers (categories as their fixed
level codes, missing as NaN): what the fast scoring path feeds the booster without pandas.
The engineered columns are defined in `training.engineered`.
"""

from collections.abc import Mapping

import numpy as np
import pandas as pd

from training.engineered import ENGINEERED, ENGINEERED_COLUMNS, ENGINEERING_INPUTS
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
    "feature_matrix",
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
    column: {level: float(code) for code, level in enumerate(levels)}
    for column, levels in CATEGORY_LEVELS.items()
}
_CATEGORY_DTYPES = {
    column: pd.CategoricalDtype(levels) for column, levels in CATEGORY_LEVELS.items()
}
# The building statistics come three times (average, mode, median of the same building); the
# averages carry the signal, the duplicates only split it (and the trees' column samples).
REDUNDANT_COLUMNS = [
    column
    for column in NUMERIC_COLUMNS
    if column.endswith(("_MODE", "_MEDI")) and f"{column.rsplit('_', 1)[0]}_AVG" in NUMERIC_COLUMNS
]
MODEL_NUMERIC_COLUMNS = [c for c in NUMERIC_COLUMNS if c not in REDUNDANT_COLUMNS]

NUMERIC_FEATURES = [*MODEL_NUMERIC_COLUMNS, *ENGINEERED_COLUMNS, *HISTORY_COLUMNS]
# Numeric block first, categories last: the order never depends on the input.
FEATURE_NAMES = [*NUMERIC_FEATURES, *CATEGORY_COLUMNS]
CATEGORY_POSITIONS = list(range(len(NUMERIC_FEATURES), len(FEATURE_NAMES)))
FEATURE_GROUPS = {feature: group_for_column(feature) for feature in FEATURE_NAMES}
# The raw application columns as they come (the plain baseline's design): numbers, then codes.
RAW_COLUMNS = [*NUMERIC_COLUMNS, *CATEGORY_COLUMNS]
RAW_CATEGORY_POSITIONS = list(range(len(NUMERIC_COLUMNS), len(RAW_COLUMNS)))
_INPUT_NUMERIC = [*NUMERIC_COLUMNS, *HISTORY_COLUMNS]
_POSITION = {column: i for i, column in enumerate(_INPUT_NUMERIC)}
_MODEL_RAW = np.array([_POSITION[c] for c in MODEL_NUMERIC_COLUMNS], dtype=int)
_HISTORY = np.array([_POSITION[c] for c in HISTORY_COLUMNS], dtype=int)
_APPLICATION_NUMERIC = np.arange(len(NUMERIC_COLUMNS))
_OPTIONAL_INPUTS = {"BUREAU_ACTIVE_DEBT_SUM"}  # a history column: absent when history changes


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
    index = frame.index if isinstance(frame, pd.DataFrame) else pd.RangeIndex(_length(frame))
    return features_frame(feature_matrix(frame), index)


def features_frame(matrix: np.ndarray, index) -> pd.DataFrame:
    """A `feature_matrix` as the `build_features` DataFrame, without copying its numbers.

    The numeric block stays a view of `matrix` (`copy=False` down to the concat): at 3 M
    applicants a copy of X is about 4 GB.
    """
    features = pd.DataFrame(
        matrix[:, : len(NUMERIC_FEATURES)], index=index, columns=NUMERIC_FEATURES, copy=False
    )
    codes = np.nan_to_num(matrix[:, len(NUMERIC_FEATURES) :], nan=-1).astype(np.int16)
    categories = {
        column: pd.Categorical.from_codes(codes[:, i], dtype=_CATEGORY_DTYPES[column])
        for i, column in enumerate(CATEGORY_COLUMNS)
    }
    return pd.concat([features, pd.DataFrame(categories, index=index)], axis=1, copy=False)


def feature_matrix(frame) -> np.ndarray:
    """`build_features` as one float32 matrix: category levels as codes, missing as NaN.

    `frame`: a DataFrame, one dict, or a list of dicts (the API's path: read without pandas).
    """
    if isinstance(frame, Mapping):
        frame = [frame]
    if isinstance(frame, pd.DataFrame):
        numbers, codes = _numeric_matrix(frame), _frame_codes(frame)
    else:
        records = list(frame)
        numbers, codes = _record_numbers(records), _record_codes(records)
    missing = np.isnan(numbers[:, _APPLICATION_NUMERIC]).sum(axis=1) + np.isnan(codes).sum(axis=1)
    engineered = _engineered(numbers, missing)
    block = np.concatenate(
        [numbers[:, _MODEL_RAW], engineered, numbers[:, _HISTORY], codes], axis=1
    )
    return block.astype(np.float32)


def raw_matrix(frame: pd.DataFrame) -> np.ndarray:
    """The raw application columns (`RAW_COLUMNS`) as float32, categories as level codes."""
    numbers = _numeric_matrix(frame)[:, _APPLICATION_NUMERIC]
    return np.concatenate([numbers, _frame_codes(frame)], axis=1).astype(np.float32)


def _length(frame) -> int:
    return 1 if isinstance(frame, Mapping) else len(frame)


def _record_numbers(records: list) -> np.ndarray:
    nan = float("nan")
    rows = [[record.get(column, nan) for column in _INPUT_NUMERIC] for record in records]
    try:
        return np.array(rows, dtype="float64").reshape(len(records), len(_INPUT_NUMERIC))
    except (TypeError, ValueError):  # text in a numeric field: the slow path names it
        return _numeric_matrix(pd.DataFrame(records))


def _record_codes(records: list) -> np.ndarray:
    nan = float("nan")
    rows = [
        [
            _LEVEL_CODES[column].get(value, nan) if isinstance(value, str) else nan
            for column in CATEGORY_COLUMNS
            for value in (record.get(column),)
        ]
        for record in records
    ]
    return np.array(rows, dtype="float64").reshape(len(records), len(CATEGORY_COLUMNS))


def _frame_codes(frame: pd.DataFrame) -> np.ndarray:
    """Text columns recoded to the fixed levels: XNA and unseen levels become missing."""
    codes = np.full((len(frame), len(CATEGORY_COLUMNS)), np.nan)
    for i, column in enumerate(CATEGORY_COLUMNS):
        if column not in frame.columns:
            continue
        values = frame[column]
        if isinstance(values.dtype, pd.CategoricalDtype):
            # recoding the categories, not the rows: fast for the 307k training rows
            column_codes = values.astype(_CATEGORY_DTYPES[column]).cat.codes.to_numpy()
        else:
            column_codes = pd.Categorical(
                values.to_numpy(dtype=object), dtype=_CATEGORY_DTYPES[column]
            ).codes
        codes[:, i] = np.where(column_codes < 0, np.nan, column_codes)
    return codes


def _numeric_matrix(frame: pd.DataFrame) -> np.ndarray:
    """Raw numeric + history columns as float64 (absent → NaN)."""
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


def _engineered(numbers: np.ndarray, missing: np.ndarray) -> np.ndarray:
    """The `training.engineered` columns; cleans DAYS_EMPLOYED in `numbers` in place."""
    nan_column = np.full(len(numbers), np.nan)
    columns = {
        column: numbers[:, _POSITION[column]] if column in _POSITION else nan_column
        for column in ENGINEERING_INPUTS
        if column in _POSITION or column in _OPTIONAL_INPUTS
    }
    columns["MISSING_COUNT"] = missing.astype("float64")
    values = {}
    for feature in ENGINEERED:
        values[feature.name] = feature.compute(columns, values)
    if not len(numbers):
        return np.empty((0, len(ENGINEERED_COLUMNS)))
    return np.column_stack([values[name] for name in ENGINEERED_COLUMNS])
