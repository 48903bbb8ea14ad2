"""The files of a data folder as typed SQL views, and the checks made before any query runs.

A table is `NAME.csv` (the Kaggle files), `NAME.parquet`, or a folder `NAME.parquet/` or
`NAME/` of Parquet parts (what Spark and most lakes write). Every problem becomes a
`training.dataset.DataError` naming the file, the column and the rule.
"""

import warnings
from dataclasses import dataclass
from pathlib import Path

import pyarrow.parquet as pq

from training.dataset import (
    OPTIONAL_TABLES,
    REQUIRED_TABLE,
    UNIQUE_KEYS,
    DataError,
    read_header,
)
from training.engine.definition import ID_COLUMNS, sql_type
from training.schema import TABLES


@dataclass(frozen=True)
class TableFile:
    """One table's data: its path, its format ("csv" or "parquet") and its column names."""

    name: str
    path: Path
    format: str
    columns: tuple[str, ...]

    @property
    def label(self) -> str:
        """How messages name the table's file."""
        return self.path.name

    @property
    def parquet_glob(self) -> str:
        """The path an engine reads: the file, or every part file of a folder."""
        return str(self.path / "*.parquet") if self.path.is_dir() else str(self.path)


def find_tables(data_dir) -> dict[str, TableFile]:
    """The tables found in `data_dir`; application_train is required, the others optional.

    An absent optional table is reported with a warning: its features will be missing (NaN).
    """
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise DataError(f"{data_dir}: data directory not found")
    found = {}
    for name in (REQUIRED_TABLE, "application_test", *OPTIONAL_TABLES):
        if name in found:
            continue
        table = _locate(data_dir, name)
        if table is None and name == REQUIRED_TABLE:
            raise DataError(
                f"{data_dir / (name + '.csv')}: required file application_train.csv "
                "(or application_train.parquet) not found"
            )
        if table is None:
            message = (
                f"{data_dir / (name + '.csv')}: optional file not found; "
                "its features will be missing"
            )
            warnings.warn(message, UserWarning, stacklevel=2)
            continue
        _check_columns(table)
        found[name] = table
    return found


def _locate(data_dir: Path, name: str) -> TableFile | None:
    csv_path = data_dir / f"{name}.csv"
    if csv_path.is_file():
        return TableFile(name, csv_path, "csv", tuple(read_header(csv_path)))
    for path in (data_dir / f"{name}.parquet", data_dir / name):
        if path.is_file() or (path.is_dir() and any(path.glob("*.parquet"))):
            return TableFile(name, path, "parquet", tuple(_parquet_columns(path)))
    return None


def _parquet_columns(path: Path) -> list[str]:
    first = path if path.is_file() else sorted(path.glob("*.parquet"))[0]
    try:
        return list(pq.read_schema(first).names)
    except Exception as error:  # pyarrow raises several types for a damaged file
        raise DataError(f"{path.name}: cannot be read as Parquet ({error})") from None


def _check_columns(table: TableFile) -> None:
    schema = TABLES[table.name]
    missing = [column for column in schema if column not in table.columns]
    if missing:
        more = ""
        if len(missing) > 1:
            more = f" (and {len(missing) - 1} more: {', '.join(missing[1:6])})"
        raise DataError(f"{table.label}: required column {missing[0]} is missing{more}")


def typed_select(name: str, relation: str, present=None, float32=False) -> str:
    """SELECT every schema column of table `name` from `relation`, cast to its SQL type.

    Columns absent from `present` (in-memory frames may carry a subset) are NULL of that type;
    `float32` reads numbers as 4-byte floats (the application rows handed to pandas).
    """
    parts = []
    for column in TABLES[name]:
        kind = sql_type(name, column)
        if float32 and kind == "DOUBLE":
            kind = "FLOAT"
        source = column if present is None or column in present else "NULL"
        parts.append(f"CAST({source} AS {kind}) AS {column}")
    return f"SELECT {', '.join(parts)} FROM {relation}"


def empty_select(name: str) -> str:
    """The typed columns of table `name` with no rows (an absent table: no history)."""
    parts = [f"CAST(NULL AS {sql_type(name, column)}) AS {column}" for column in TABLES[name]]
    return f"SELECT {', '.join(parts)} WHERE 1 = 0"


def check_query(name: str, relation: str) -> str:
    """One pass over a table's ids: rows, ids missing or not positive, distinct unique keys."""
    parts = ["COUNT(*) AS row_count"]
    for column in _id_columns(name):
        parts.append(
            f"SUM(CASE WHEN {column} IS NULL OR {column} <= 0 THEN 1 ELSE 0 END) AS bad_{column}"
        )
    key = UNIQUE_KEYS.get(name)
    if key:
        parts.append(f"COUNT(DISTINCT {key}) AS distinct_keys")
    return f"SELECT {', '.join(parts)} FROM {relation}"


def judge_checks(table: TableFile, counts: dict) -> bool:
    """Raise a DataError for bad ids; True when a history table's unique key repeats.

    Repeated applications are an error; a repeated history record (other systems' extracts) is
    kept once, with a warning, because counting it twice would bias the aggregates.
    """
    for column in _id_columns(table.name):
        if counts[f"bad_{column}"]:
            raise DataError(
                f"{table.label}: column {column} must be a positive id "
                f"({counts[f'bad_{column}']} row(s) missing or <= 0)"
            )
    key = UNIQUE_KEYS.get(table.name)
    if not key or counts["distinct_keys"] == counts["row_count"]:
        return False
    message = (
        f"{table.label}: column {key} must be unique; "
        f"{counts['row_count'] - counts['distinct_keys']} duplicate(s)"
    )
    if table.name.startswith("application"):
        raise DataError(message)
    warnings.warn(f"{message}; keeping one record per {key}", UserWarning, stacklevel=3)
    return True


def deduplicated(name: str, relation: str) -> str:
    """One row per unique key, the same row on every engine (ordered by all columns)."""
    key = UNIQUE_KEYS[name]
    columns = list(TABLES[name])
    order = ", ".join(f"{column} NULLS LAST" for column in columns if column != key)
    return (
        f"SELECT {', '.join(columns)} FROM (SELECT *, ROW_NUMBER() OVER "
        f"(PARTITION BY {key} ORDER BY {order}) AS duplicate_rank FROM {relation}) "
        "WHERE duplicate_rank = 1"
    )


def _id_columns(name: str) -> list[str]:
    return [column for column in TABLES[name] if column in ID_COLUMNS]
