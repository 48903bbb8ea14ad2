"""Load and validate the Home Credit CSV files (the real Kaggle ones or the synthetic ones).

Every problem with a file becomes a `DataError` whose message names the file, the column and
the rule that was broken, so a user never has to read a pandas traceback. Columns are read with
explicit dtypes taken from `training.schema` (float32 for numbers, category for text) so that the
full-scale data (27M bureau_balance rows) fits comfortably in memory.
"""

import csv
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from training.schema import TABLES

REQUIRED_TABLE = "application_train"
OPTIONAL_TABLES = tuple(name for name in TABLES if name != REQUIRED_TABLE)
# Identifier columns (and the target) stay exact integers; every other number is float32, which
# keeps 7 significant digits (enough for amounts and day counts) and tolerates missing values.
INTEGER_COLUMNS = {"SK_ID_CURR", "SK_ID_BUREAU", "SK_ID_PREV", "TARGET"}
# The key that must be unique within each table, where there is one.
UNIQUE_KEYS = {
    "application_train": "SK_ID_CURR",
    "application_test": "SK_ID_CURR",
    "bureau": "SK_ID_BUREAU",
    "previous_application": "SK_ID_PREV",
}


class DataError(ValueError):
    """A data file breaks a rule; the message names the file, the column and the rule."""


def load_tables(data_dir) -> dict[str, pd.DataFrame]:
    """Read every Kaggle file found in `data_dir`, validated; `application_train.csv` is required.

    Absent optional tables are reported with a warning and left out of the result, so their
    features end up missing (NaN) rather than failing the whole load.
    """
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise DataError(f"{data_dir}: data directory not found")
    required = data_dir / f"{REQUIRED_TABLE}.csv"
    if not required.is_file():
        raise DataError(f"{required}: required file application_train.csv not found")
    tables = {REQUIRED_TABLE: read_table(required, REQUIRED_TABLE)}
    for name in OPTIONAL_TABLES:
        path = data_dir / f"{name}.csv"
        if not path.is_file():
            message = f"{path}: optional file not found; its features will be missing"
            warnings.warn(message, UserWarning, stacklevel=2)
            continue
        tables[name] = read_table(path, name)
    return tables


def load_applications(path) -> pd.DataFrame:
    """Read one application_*.csv (train or test layout), validated, indexed like the file.

    The TARGET column is optional here (kept when present), so the same function serves the
    client store (training rows) and the drift command (a batch of new applications).
    """
    path = Path(path)
    if not path.is_file():
        raise DataError(f"{path}: file not found")
    header = read_header(path)
    name = "application_train" if "TARGET" in header else "application_test"
    return read_table(path, name)


def read_table(path, name: str) -> pd.DataFrame:
    """Read one table file with the schema's columns and dtypes, then check its rules."""
    path = Path(path)
    columns = TABLES[name]
    header = read_header(path)
    missing = [column for column in columns if column not in header]
    if missing:
        raise DataError(
            f"{path.name}: required column {missing[0]} is missing"
            + (
                f" (and {len(missing) - 1} more: {', '.join(missing[1:6])})"
                if len(missing) > 1
                else ""
            )
        )
    return validate_table(_read_csv(path, columns), name, path.name)


def validate_table(frame: pd.DataFrame, name: str, label: str) -> pd.DataFrame:
    """Check a table read by any reader (pandas here, an engine in training.engine).

    `frame` has the schema's columns (numbers float32, ids int, text categorical); `label` names
    the file in messages. Ids and TARGET are narrowed, text gets the schema's fixed levels.
    """
    columns = TABLES[name]
    if frame.empty and name == REQUIRED_TABLE:
        raise DataError(f"{label}: the file has a header but no rows")
    _check_integers(label, frame, columns)
    _check_categories(label, frame, columns)
    if name.startswith("application"):
        _check_application_values(label, frame)
    return _check_unique_key(label, frame, name)


def read_header(path: Path) -> list[str]:
    """The column names on the first line; an empty or unreadable file is a DataError."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            header = next(csv.reader(handle), None)
    except (OSError, UnicodeDecodeError) as error:
        raise DataError(f"{path.name}: file cannot be read as UTF-8 CSV ({error})") from None
    if not header or not any(cell.strip() for cell in header):
        raise DataError(f"{path.name}: the file is empty (no header line)")
    return header


def _dtypes(columns: dict) -> dict:
    """Explicit reading dtypes: exact ints for ids, float32 for numbers, category for text."""
    dtypes = {}
    for column, (kind, _levels) in columns.items():
        if kind == "category":
            dtypes[column] = "category"
        elif column in INTEGER_COLUMNS:
            dtypes[column] = "int64"
        else:
            dtypes[column] = "float32"
    return dtypes


def _read_csv(path: Path, columns: dict) -> pd.DataFrame:
    try:
        return pd.read_csv(path, usecols=list(columns), dtype=_dtypes(columns), low_memory=False)
    except ValueError as error:
        # pandas does not say which column failed; find it on the slow path (errors only).
        raise _diagnose_numbers(path, columns) or DataError(
            f"{path.name}: cannot be parsed as CSV ({error})"
        ) from None
    except (pd.errors.ParserError, UnicodeDecodeError, OSError) as error:
        raise DataError(f"{path.name}: cannot be parsed as CSV ({error})") from None


def _diagnose_numbers(path: Path, columns: dict) -> DataError | None:
    """Find the first numeric column holding text (or a missing id) and describe it."""
    numeric = [column for column, (kind, _) in columns.items() if kind != "category"]
    try:
        raw = pd.read_csv(path, usecols=numeric, dtype=str)
    except (ValueError, pd.errors.ParserError, UnicodeDecodeError):
        return None
    for column in numeric:
        values = raw[column]
        parsed = pd.to_numeric(values, errors="coerce")
        bad = parsed.isna() & values.notna()
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0])
            return DataError(
                f"{path.name}: column {column} must be numeric; "
                f"found {values.iloc[row]!r} on data row {row + 1}"
            )
        if column in INTEGER_COLUMNS and values.isna().any():
            row = int(np.flatnonzero(values.isna().to_numpy())[0])
            return DataError(f"{path.name}: column {column} must not be empty (data row {row + 1})")
        if column in INTEGER_COLUMNS and (parsed != parsed.round()).any():
            return DataError(f"{path.name}: column {column} must hold whole numbers")
    return None


def _check_integers(label: str, frame: pd.DataFrame, columns: dict) -> None:
    """Ids must be positive; TARGET must be 0 or 1."""
    for column in INTEGER_COLUMNS.intersection(columns):
        values = frame[column]
        if column == "TARGET":
            if not values.isin((0, 1)).all():
                bad = values[~values.isin((0, 1))].iloc[0]
                raise DataError(f"{label}: column TARGET must be 0 or 1; found {bad}")
        elif len(values) and values.min() <= 0:
            raise DataError(f"{label}: column {column} must be a positive id")
        frame[column] = values.astype("int32" if column != "TARGET" else "int8")


# Plain-sense rules on application amounts and ages; a breach means a corrupted or shifted file.
APPLICATION_RULES = {
    "AMT_INCOME_TOTAL": ("must be positive", lambda values: values > 0),
    "AMT_CREDIT": ("must be positive", lambda values: values > 0),
    "DAYS_BIRTH": ("must be negative (days before the application)", lambda values: values < 0),
}


def _check_application_values(label: str, frame: pd.DataFrame) -> None:
    for column, (rule, holds) in APPLICATION_RULES.items():
        values = frame[column]
        broken = values.notna() & ~holds(values)
        if broken.any():
            row = int(np.flatnonzero(broken.to_numpy())[0])
            raise DataError(
                f"{label}: column {column} {rule}; found {values.iloc[row]:g} on data row {row + 1}"
            )


def _check_categories(label: str, frame: pd.DataFrame, columns: dict) -> None:
    """Give text columns the schema's fixed levels; unseen levels become missing, with a warning.

    Being tolerant here keeps a batch usable when one new level appears (the model treats it
    like a missing value), while the warning makes the change visible.
    """
    for column, (kind, levels) in columns.items():
        if kind != "category":
            continue
        if not isinstance(frame[column].dtype, pd.CategoricalDtype):
            frame[column] = frame[column].astype("category")  # e.g. a column of missing values
        seen = frame[column].cat.categories
        unknown = [level for level in seen if level not in levels]
        if unknown:
            message = (
                f"{label}: column {column} has values outside the known levels "
                f"{unknown[:5]}; they are treated as missing"
            )
            warnings.warn(message, UserWarning, stacklevel=4)
        frame[column] = frame[column].cat.set_categories(levels)


def _check_unique_key(label: str, frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """Applications must have unique ids; a repeated history record is dropped, with a warning.

    The history tables are other systems' extracts: one repeated loan must not stop training,
    but counting it twice would bias the aggregates.
    """
    key = UNIQUE_KEYS.get(name)
    if key is None:
        return frame
    duplicated = frame[key].duplicated()
    if not duplicated.any():
        return frame
    message = (
        f"{label}: column {key} must be unique; {int(duplicated.sum())} duplicate(s), "
        f"first {frame.loc[duplicated, key].iloc[0]}"
    )
    if name.startswith("application"):
        raise DataError(message)
    warnings.warn(f"{message}; keeping the first record", UserWarning, stacklevel=4)
    return frame.loc[~duplicated].reset_index(drop=True)
