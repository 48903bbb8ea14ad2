"""What DuckDB and Spark runners share: from a data folder to checked, typed views, then the
history query and the application rows as pandas frames.

A subclass says how to read a file into a view and how to run SQL into Arrow; everything that
decides a value (types, checks, deduplication, the query) is here or in the definition, so the
two engines cannot drift apart.
"""

import re
from pathlib import Path

import pandas as pd
import pyarrow as pa

from training.dataset import DataError, validate_table
from training.engine.definition import HISTORY_TABLES, history_query
from training.engine.sources import (
    TableFile,
    check_query,
    deduplicated,
    empty_select,
    find_tables,
    judge_checks,
    typed_select,
)

APPLICATION_TABLES = ("application_train", "application_test")
KEYED_HISTORY_TABLES = ("bureau", "previous_application")


class Runner:
    """Base of the engine runners; use as a context manager (`with DuckdbRunner() as r:`)."""

    name = "engine"

    def __init__(self):
        self.tables: dict[str, TableFile] = {}

    # -- what an engine provides -------------------------------------------------------------
    def read_file(self, table: TableFile, view: str) -> None:
        """Create the view `view` over the table's file, columns typed as the schema says."""
        raise NotImplementedError

    def execute(self, sql: str) -> None:
        """Run a statement (CREATE VIEW ...)."""
        raise NotImplementedError

    def arrow(self, sql: str) -> pa.Table:
        """Run a query; its result as an Arrow table, rows in the query's order."""
        raise NotImplementedError

    def close(self) -> None:
        """Free the engine."""

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()
        return False

    # -- shared ------------------------------------------------------------------------------
    def load(self, data_dir) -> "Runner":
        """Find, check and expose the folder's tables as views named like the tables."""
        self.tables = find_tables(data_dir)
        for name, table in self.tables.items():
            raw = f"raw_{name}"
            self.read_file(table, raw)
            source = raw
            # One pass over the ids of the two tables with a unique key (a few % of the rows);
            # applications are checked in pandas, client ids of the monthly tables in `history`.
            if name in KEYED_HISTORY_TABLES and judge_checks(
                table, self._one_row(check_query(name, raw))
            ):
                unique = deduplicated(name, raw)
                self.execute(f"CREATE OR REPLACE TEMP VIEW unique_{name} AS {unique}")
                source = f"unique_{name}"
            typed = typed_select(name, source, float32=name in APPLICATION_TABLES)
            self.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS {typed}")
        self._empty_views(set(HISTORY_TABLES) - set(self.tables))
        return self

    def _empty_views(self, names) -> None:
        for name in names:
            self.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS {empty_select(name)}")

    def _one_row(self, sql: str) -> dict:
        row = self.arrow(sql).to_pylist()[0]
        return {key: (value or 0) for key, value in row.items()}

    def history(self) -> pd.DataFrame:
        """One row per client with history: index SK_ID_CURR (int64), HISTORY_COLUMNS float32."""
        table = self.arrow(history_query())
        ids = table.column("SK_ID_CURR").to_pandas()
        _check_client_ids(ids)
        # Column by column, each Arrow buffer freed once converted, and no set_index copy: at
        # full Kaggle size the 265 MB of aggregates are held once, not three times.
        aggregates = table.drop_columns(["SK_ID_CURR"])
        del table
        history = aggregates.to_pandas(split_blocks=True, self_destruct=True)
        del aggregates
        history.index = pd.Index(ids.astype("int64"), name="SK_ID_CURR")
        return history.astype("float32", copy=False)  # FLOAT already; an empty result is not

    def applications(self, name: str) -> pd.DataFrame | None:
        """The rows of application_train or application_test, validated, or None if absent.

        Numbers float32, text categorical with the schema's levels, ids int32: the same frame
        as training.dataset.read_table gives for a CSV file.
        """
        table = self.tables.get(name)
        if table is None:
            return None
        frame = self.arrow(f"SELECT * FROM {name}").to_pandas(strings_to_categorical=True)
        return validate_table(frame, name, table.label)


def as_data_error(error: Exception, data_dir) -> DataError:
    """An engine's reading or conversion error, told as a DataError naming file and column."""
    text = str(error).strip()
    converting = _CONVERSION.search(text)
    file = _FILE.search(text)
    if converting and file:
        line = _LINE.search(text)
        where = f" on line {line.group(1)}" if line else ""
        return DataError(
            f"{Path(file.group(1)).name}: column {converting.group(1)} must be numeric; "
            f"found {converting.group(2)!r}{where}"
        )
    first_line = text.splitlines()[0] if text else type(error).__name__
    return DataError(f"{data_dir}: the data cannot be read ({first_line})")


# DuckDB's conversion error: 'converting column "X". Could not convert string "v"', 'file = p'
_CONVERSION = re.compile(r'converting column "([^"]+)"\. Could not convert string "([^"]*)"')
_FILE = re.compile(r"file = (\S+)")
_LINE = re.compile(r"CSV Error on Line: (\d+)")


def _check_client_ids(ids: pd.Series) -> None:
    """Every history row must belong to a client: SK_ID_CURR present and positive."""
    bad = ids.isna() | (ids <= 0)
    if bad.any():
        raise DataError(
            "history tables: column SK_ID_CURR must be a positive id "
            f"(found {ids[bad].tolist()[0]} in bureau, previous_application or a monthly table)"
        )
