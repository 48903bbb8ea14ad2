"""The history definition on DuckDB: embedded, no server, reads CSV and Parquet in place and
spills to disk past its memory limit, so a folder larger than memory still runs on one machine.
"""

import shutil
import tempfile

import duckdb
import pandas as pd
import pyarrow as pa

from training.engine.definition import HISTORY_TABLES, sql_type
from training.engine.runner import Runner, as_data_error
from training.engine.sources import TableFile, typed_select
from training.schema import TABLES

# Memory DuckDB may hold before it spills to its temporary folder; with pandas' own frames
# next to it this keeps a 10x Kaggle-size run under 12 GiB (docs/benchmarks.md).
MEMORY_LIMIT = "4GB"


class DuckdbRunner(Runner):
    """One in-memory DuckDB connection with its own temporary spill folder."""

    name = "duckdb"

    def __init__(self, memory_limit: str = MEMORY_LIMIT, threads: int | None = None):
        super().__init__()
        self._spill = tempfile.mkdtemp(prefix="duckdb-spill-")
        settings = {"memory_limit": memory_limit, "temp_directory": self._spill}
        if threads:
            settings["threads"] = threads
        self.connection = duckdb.connect(":memory:", config=settings)
        self._data_dir = None

    def load(self, data_dir):
        self._data_dir = data_dir
        try:
            return super().load(data_dir)
        except duckdb.Error as error:
            raise as_data_error(error, data_dir) from None

    def load_frames(self, tables: dict[str, pd.DataFrame]) -> "DuckdbRunner":
        """Views over in-memory history frames (any subset of tables and of their columns)."""
        for name in HISTORY_TABLES:
            if name in tables:
                self.connection.register(f"raw_{name}", tables[name])
                typed = typed_select(name, f"raw_{name}", present=set(tables[name].columns))
                self.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS {typed}")
        self._empty_views(set(HISTORY_TABLES) - set(tables))
        return self

    def read_file(self, table: TableFile, view: str) -> None:
        if table.format == "csv":
            # Every column of the header typed up front: no sniffing pass over the file.
            columns = ", ".join(
                f"'{column}': '{_duckdb_type(table.name, column)}'" for column in table.columns
            )
            source = (
                f"read_csv('{_quoted(table.path)}', header = true, auto_detect = false, "
                f"delim = ',', quote = '\"', escape = '\"', columns = {{{columns}}})"
            )
        else:
            source = f"read_parquet('{_quoted(table.parquet_glob)}')"
        self.execute(f"CREATE OR REPLACE TEMP VIEW {view} AS SELECT * FROM {source}")

    def execute(self, sql: str) -> None:
        self.connection.execute(sql)

    def arrow(self, sql: str) -> pa.Table:
        try:
            return self.connection.sql(sql).to_arrow_table()
        except duckdb.Error as error:
            raise as_data_error(error, self._data_dir or "in-memory tables") from None

    def close(self) -> None:
        self.connection.close()
        shutil.rmtree(self._spill, ignore_errors=True)


def _duckdb_type(table: str, column: str) -> str:
    """The schema's type; text for a column the schema does not know (it is not read)."""
    if column not in TABLES[table]:
        return "VARCHAR"
    kind = sql_type(table, column)
    return "VARCHAR" if kind == "STRING" else kind


def _quoted(path) -> str:
    return str(path).replace("'", "''")
