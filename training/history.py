"""Credit-history aggregates: one row per client from the six history tables.

Imported through `training.features` (the contract's public place). The aggregates are defined
once, in SQL (training/engine/definition.py and the modules it gathers), and run by DuckDB
here and by Spark on a cluster (training.engine). A table that was not loaded simply leaves its
columns missing (NaN), exactly like a brand-new client who has no history at all.
"""

import pandas as pd

from training.engine.definition import HISTORY_COLUMNS, HISTORY_TABLES

__all__ = ["HISTORY_COLUMNS", "HISTORY_TABLES", "history_aggregates"]


def history_aggregates(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per client found in any history table; columns `HISTORY_COLUMNS` (float32).

    `tables`: in-memory frames named like the Kaggle files (any subset, any subset of their
    columns: absent columns are missing values). Clients without any history are simply
    absent: joined to the applications they get NaN, the same as a new client scored through
    the API. Large folders go through training.engine instead, without loading them here.
    """
    from training.engine.duckdb_runner import DuckdbRunner  # serving never needs DuckDB

    with DuckdbRunner() as runner:
        return runner.load_frames(tables).history()
