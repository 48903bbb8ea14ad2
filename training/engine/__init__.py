"""Where the history aggregates run: DuckDB on one machine (the default), Spark on a cluster.

The definition (training.engine.definition) is one SQL text; a runner only makes the views and
runs it. Importing this package loads neither engine (serving imports the column list only):
`open_runner` imports the one asked for.

    with open_runner("duckdb") as runner:
        runner.load("data/")                      # CSV or Parquet files, checked
        history = runner.history()                # one row per client, float32
        applications = runner.applications("application_train")
"""

import numpy as np
import pandas as pd

ENGINES = ("duckdb", "spark")
DEFAULT_ENGINE = "duckdb"
FEATURE_BATCH_ROWS = 50_000  # a batch costs ~5 KB per row in float64 while it is built


def open_runner(engine: str = DEFAULT_ENGINE, **options):
    """A new runner of `engine` ("duckdb" or "spark"); close it (or use `with`).

    `options` go to the runner (DuckDB: memory_limit, threads; Spark: master, settings).
    """
    if engine == "duckdb":
        from training.engine.duckdb_runner import DuckdbRunner

        return DuckdbRunner(**options)
    if engine == "spark":
        from training.engine.spark_runner import SparkRunner

        return SparkRunner(**options)
    raise ValueError(f"engine: must be one of {', '.join(ENGINES)}, got {engine!r}")


def with_history(applications: pd.DataFrame, history: pd.DataFrame) -> pd.DataFrame:
    """Applications with their history columns (NaN for clients without history)."""
    return applications.join(history, on="SK_ID_CURR")


def load_with_history(data_dir, table: str, engine: str = DEFAULT_ENGINE) -> pd.DataFrame:
    """One application table of `data_dir` joined with its clients' history aggregates."""
    with open_runner(engine) as runner:
        runner.load(data_dir)
        applications = runner.applications(table)
        return with_history(applications, runner.history())


def feature_matrix(applications, history, batch_rows: int = FEATURE_BATCH_ROWS) -> pd.DataFrame:
    """build_features over applications + history, `batch_rows` at a time.

    The feature function works in float64 internally; each batch's float32 rows are written
    into one matrix allocated up front, so memory holds X once plus one batch, which is what
    lets 3 M applicants fit on one machine.
    """
    from training import features

    matrix = np.empty((len(applications), len(features.FEATURE_NAMES)), dtype=np.float32)
    for start in range(0, len(applications), batch_rows):
        batch = with_history(applications.iloc[start : start + batch_rows], history)
        matrix[start : start + len(batch)] = features.feature_matrix(batch)
    return features.features_frame(matrix, applications.index)
