"""The history engine: one SQL definition, run by DuckDB (and Spark, see test_engine_spark.py)
over folders of CSV or Parquet files, with clear errors for bad files."""

import shutil
import warnings

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from training.dataset import DataError
from training.engine import feature_matrix, load_with_history, open_runner
from training.engine.definition import HISTORY_TABLES, history_query
from training.feature_groups import group_for_column
from training.features import FEATURE_NAMES, HISTORY_COLUMNS, build_features
from training.synthetic import generate

N_CLIENTS = 300


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    """The same synthetic clients written twice: as CSV files and as Parquet files."""
    root = tmp_path_factory.mktemp("engine")
    generate(root / "csv", N_CLIENTS, 11)
    generate(root / "parquet", N_CLIENTS, 11, file_format="parquet")
    return root / "csv", root / "parquet"


def read(folder, engine="duckdb"):
    """(history, application_train) of a folder, warnings silenced."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with open_runner(engine) as runner:
            runner.load(folder)
            return runner.history(), runner.applications("application_train")


def test_csv_and_parquet_folders_give_the_same_history_and_applications(folders):
    history_csv, applications_csv = read(folders[0])
    history_parquet, applications_parquet = read(folders[1])
    pd.testing.assert_frame_equal(history_csv, history_parquet)
    pd.testing.assert_frame_equal(applications_csv, applications_parquet)
    assert list(history_csv.columns) == HISTORY_COLUMNS
    assert set(history_csv.dtypes) == {np.dtype("float32")}
    assert history_csv.index.is_monotonic_increasing and history_csv.index.name == "SK_ID_CURR"
    # most clients have some history, and no one has history for every table
    assert history_csv.index.isin(applications_csv["SK_ID_CURR"]).sum() > 0.9 * N_CLIENTS
    assert history_csv.notna().any().all()


def test_applications_read_by_the_engine_are_typed_like_the_pandas_loader(folders):
    from training.dataset import read_table

    _, applications = read(folders[1])
    expected = read_table(folders[0] / "application_train.csv", "application_train")
    pd.testing.assert_frame_equal(applications, expected)


def test_features_in_batches_equal_features_at_once(folders):
    history, applications = read(folders[0])
    whole = build_features(applications.join(history, on="SK_ID_CURR"))
    batched = feature_matrix(applications, history, batch_rows=70)
    pd.testing.assert_frame_equal(batched, whole)
    assert list(whole.columns) == FEATURE_NAMES


def test_history_from_in_memory_frames_equals_history_from_the_files(folders):
    from training.features import history_aggregates

    tables = {name: pd.read_parquet(folders[1] / f"{name}.parquet") for name in HISTORY_TABLES}
    history, _ = read(folders[1])
    pd.testing.assert_frame_equal(history_aggregates(tables), history)


def test_the_query_returns_every_history_column_in_order_each_with_a_business_group():
    import duckdb

    from training.engine.sources import empty_select

    connection = duckdb.connect()
    for name in HISTORY_TABLES:
        connection.execute(f"CREATE VIEW {name} AS {empty_select(name)}")
    result = connection.sql(history_query())
    assert result.columns == ["SK_ID_CURR", *HISTORY_COLUMNS]
    assert set(result.types) == {"BIGINT", "FLOAT"}
    assert len(HISTORY_COLUMNS) == len(set(HISTORY_COLUMNS)) == 216
    assert all(group_for_column(column) for column in HISTORY_COLUMNS)
    assert "BUREAU_ACTIVE_DEBT_SUM" in HISTORY_COLUMNS  # read by build_features


def test_training_frame_joins_history_and_keeps_every_application(folders):
    frame = load_with_history(folders[1], "application_train")
    assert len(frame) == N_CLIENTS
    assert {"TARGET", "AMT_CREDIT", *HISTORY_COLUMNS} <= set(frame.columns)


def _copy(source, target, names):
    target.mkdir()
    for name in names:
        shutil.copy(source / name, target / name)


def test_a_folder_of_parquet_parts_reads_as_one_table(folders, tmp_path):
    names = [p.name for p in folders[1].iterdir() if p.name != "bureau.parquet"]
    _copy(folders[1], tmp_path / "data", names)
    bureau = pq.read_table(folders[1] / "bureau.parquet")
    (tmp_path / "data" / "bureau").mkdir()
    half = bureau.num_rows // 2
    pq.write_table(bureau.slice(0, half), tmp_path / "data" / "bureau" / "part-0.parquet")
    pq.write_table(bureau.slice(half), tmp_path / "data" / "bureau" / "part-1.parquet")
    pd.testing.assert_frame_equal(read(tmp_path / "data")[0], read(folders[1])[0])


def test_absent_history_tables_warn_and_leave_their_columns_missing(folders, tmp_path):
    _copy(folders[0], tmp_path / "data", ["application_train.csv", "bureau.csv"])
    absent = "credit_card_balance.csv: optional file not found"
    with pytest.warns(UserWarning, match=absent), open_runner() as runner:
        history = runner.load(tmp_path / "data").history()
    assert history["BUREAU_LOAN_COUNT"].notna().all()
    others = [c for c in HISTORY_COLUMNS if not c.startswith("BUREAU_")]
    assert history[others].isna().all(axis=None)


def test_text_in_a_numeric_history_column_names_file_column_and_value(folders, tmp_path):
    _copy(folders[0], tmp_path / "data", ["application_train.csv"])
    bureau = pd.read_csv(folders[0] / "bureau.csv")
    bureau["AMT_CREDIT_SUM"] = bureau["AMT_CREDIT_SUM"].astype(object)
    bureau.loc[3, "AMT_CREDIT_SUM"] = "lots"
    bureau.to_csv(tmp_path / "data" / "bureau.csv", index=False)
    with pytest.raises(DataError, match=r"^bureau.csv: column AMT_CREDIT_SUM must be numeric; "):
        read(tmp_path / "data")


def test_a_parquet_file_missing_a_column_is_a_data_error(folders, tmp_path):
    _copy(folders[1], tmp_path / "data", ["application_train.parquet"])
    table = pq.read_table(folders[1] / "previous_application.parquet").drop(["AMT_CREDIT"])
    pq.write_table(table, tmp_path / "data" / "previous_application.parquet")
    with pytest.raises(
        DataError, match="previous_application.parquet: required column AMT_CREDIT is missing"
    ):
        read(tmp_path / "data")


def test_repeated_bureau_records_are_counted_once_with_a_warning(folders, tmp_path):
    _copy(folders[0], tmp_path / "data", ["application_train.csv"])
    bureau = pd.read_csv(folders[0] / "bureau.csv")
    pd.concat([bureau, bureau.head(5)]).to_csv(tmp_path / "data" / "bureau.csv", index=False)
    repeated = "column SK_ID_BUREAU must be unique; 5 duplicate"
    with pytest.warns(UserWarning, match=repeated), open_runner() as runner:
        history = runner.load(tmp_path / "data").history()
    _copy(folders[0], tmp_path / "clean", ["application_train.csv", "bureau.csv"])
    expected, _ = read(tmp_path / "clean")
    pd.testing.assert_frame_equal(history, expected)


def test_repeated_applications_and_bad_client_ids_are_errors(folders, tmp_path):
    applications = pd.read_csv(folders[0] / "application_train.csv")
    (tmp_path / "twice").mkdir()
    pd.concat([applications, applications.head(1)]).to_csv(
        tmp_path / "twice" / "application_train.csv", index=False
    )
    with pytest.raises(DataError, match="column SK_ID_CURR must be unique"):
        read(tmp_path / "twice")
    _copy(folders[0], tmp_path / "negative", ["application_train.csv"])
    pos = pd.read_csv(folders[0] / "POS_CASH_balance.csv")
    pos.loc[0, "SK_ID_CURR"] = -4
    pos.to_csv(tmp_path / "negative" / "POS_CASH_balance.csv", index=False)
    with pytest.raises(DataError, match="column SK_ID_CURR must be a positive id .found -4"):
        read(tmp_path / "negative")


def test_a_missing_folder_or_application_file_is_a_data_error(tmp_path):
    with pytest.raises(DataError, match="data directory not found"):
        read(tmp_path / "absent")
    with pytest.raises(DataError, match="required file application_train.csv"):
        read(tmp_path)


def test_an_unknown_engine_is_refused():
    with pytest.raises(ValueError, match="engine: must be one of duckdb, spark, got 'pandas'"):
        open_runner("pandas")
