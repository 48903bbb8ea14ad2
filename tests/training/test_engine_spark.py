"""Spark runs the same SQL definition as DuckDB: same columns, same values (float32 precision).
Parquet here; Spark's CSV path is compared with the serving path in
tests/services/test_clients_engine.py."""

import warnings

import numpy as np
import pandas as pd
import pytest

from training.engine import open_runner
from training.features import HISTORY_COLUMNS
from training.synthetic import generate

pytestmark = pytest.mark.spark


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    root = tmp_path_factory.mktemp("engine-spark")
    generate(root / "csv", 250, 12)
    generate(root / "parquet", 250, 12, file_format="parquet")
    return root / "csv", root / "parquet"


def read(runner, folder):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        runner.load(folder)
        return runner.history(), runner.applications("application_train")


def assert_same_numbers(actual: pd.DataFrame, expected: pd.DataFrame) -> None:
    """Same index, columns and missing cells; values equal to float32 precision."""
    assert actual.index.equals(expected.index)
    assert list(actual.columns) == list(expected.columns)
    for column in expected.columns:
        np.testing.assert_allclose(
            actual[column].to_numpy("float64"),
            expected[column].to_numpy("float64"),
            rtol=1e-6,
            equal_nan=True,
            err_msg=column,
        )


def test_spark_computes_the_history_duckdb_computes(folders, spark_runner):
    with open_runner("duckdb") as duckdb_runner:
        expected, applications = read(duckdb_runner, folders[0])
    history, spark_applications = read(spark_runner, folders[1])
    assert list(history.columns) == HISTORY_COLUMNS
    assert set(history.dtypes) == {np.dtype("float32")}
    assert_same_numbers(history, expected)
    pd.testing.assert_frame_equal(spark_applications, applications)
    assert expected.notna().any().all()  # every column was compared on real values
