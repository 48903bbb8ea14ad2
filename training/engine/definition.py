"""The history aggregates, defined once in SQL: one query that DuckDB and Spark both run.

The query reads six views named like the Kaggle tables (bureau, bureau_balance,
previous_application, POS_CASH_balance, installments_payments, credit_card_balance), typed as
`view_columns` says, and returns one row per client found in any of them: SK_ID_CURR and the
`HISTORY_COLUMNS`. A runner (training.engine.duckdb_runner, training.engine.spark_runner) only
creates the views and runs the text; it never computes a feature itself.
"""

from training.engine import bureau, monthly, previous
from training.schema import TABLES

HISTORY_TABLES = (
    "bureau",
    "bureau_balance",
    "previous_application",
    "POS_CASH_balance",
    "installments_payments",
    "credit_card_balance",
)
# Identifier columns stay exact integers; every other number is read as a double.
ID_COLUMNS = {"SK_ID_CURR", "SK_ID_BUREAU", "SK_ID_PREV"}
_BLOCKS = (bureau, previous, monthly)
CTES = {name: text for block in _BLOCKS for name, text in block.CTES.items()}
COLUMNS_BY_CTE = {name: columns for block in _BLOCKS for name, columns in block.COLUMNS.items()}
HISTORY_COLUMNS = [column for columns in COLUMNS_BY_CTE.values() for column in columns]


def sql_type(table: str, column: str) -> str:
    """The SQL type a column is read as (the same type names exist in DuckDB and Spark)."""
    kind = TABLES[table][column][0]
    if kind == "category":
        return "STRING"
    if column in ID_COLUMNS or column == "TARGET":
        return "BIGINT"
    return "DOUBLE"


def view_columns(table: str) -> dict[str, str]:
    """{column: SQL type} of a history view, in file order."""
    return {column: sql_type(table, column) for column in TABLES[table]}


def history_query(number_type: str = "FLOAT") -> str:
    """The one query: the per-table aggregates FULL JOINed on SK_ID_CURR, one row per client.

    Each aggregate is referenced once, so no engine computes one twice; JOIN ... USING merges
    the key of both sides. Aggregates are computed in doubles and handed over as `number_type`
    (FLOAT: 4 bytes, the precision the model reads, half the memory for 3 M clients).
    """
    ctes = ",\n".join(f"{name} AS (\n{text}\n)" for name, text in CTES.items())
    first, *others = COLUMNS_BY_CTE
    joins = "".join(f"\nFULL OUTER JOIN {name} USING (SK_ID_CURR)" for name in others)
    columns = ",\n    ".join(
        f"CAST({column} AS {number_type}) AS {column}" for column in HISTORY_COLUMNS
    )
    return (
        f"WITH {ctes}\n"
        f"SELECT SK_ID_CURR,\n    {columns}\n"
        f"FROM {first}{joins}\n"
        "ORDER BY SK_ID_CURR NULLS FIRST"
    )
