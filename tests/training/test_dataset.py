"""Loading and validating the Kaggle files: every bad file is a DataError naming file and column."""

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.real_sample import REAL_SAMPLE
from training.dataset import DataError, load_applications, load_tables
from training.schema import TABLES

SAMPLE = REAL_SAMPLE
needs_sample = pytest.mark.skipif(not SAMPLE.is_dir(), reason="real sample absent")


def valid_rows(table: str, n: int = 3) -> pd.DataFrame:
    """n schema-valid rows of `table`: ids 100001.., positive amounts, negative ages."""
    rows = {}
    for column, (kind, levels) in TABLES[table].items():
        if kind == "category":
            rows[column] = [levels[i % len(levels)] for i in range(n)]
        else:
            rows[column] = [1.0 + i for i in range(n)]
    rows["SK_ID_CURR"] = [100001 + i for i in range(n)]
    if "TARGET" in rows:
        rows["TARGET"] = [i % 2 for i in range(n)]
    if "DAYS_BIRTH" in rows:
        rows["DAYS_BIRTH"] = [-12000 - i for i in range(n)]
    for key in ("SK_ID_BUREAU", "SK_ID_PREV"):
        if key in rows:
            rows[key] = [5000001 + i for i in range(n)]
    return pd.DataFrame(rows)


def write(directory: Path, table: str, frame: pd.DataFrame) -> Path:
    path = directory / f"{table}.csv"
    frame.to_csv(path, index=False)
    return path


def load_recording(directory: Path) -> tuple[dict, list[str]]:
    """load_tables, and the messages of every warning it gave."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        tables = load_tables(directory)
    return tables, [str(warning.message) for warning in caught]


def load_quietly(directory: Path) -> dict:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return load_tables(directory)


def test_only_application_train_loads_with_a_warning_per_absent_table(tmp_path):
    write(tmp_path, "application_train", valid_rows("application_train"))
    tables, messages = load_recording(tmp_path)
    assert list(tables) == ["application_train"]
    assert f"{tmp_path / 'bureau.csv'}: optional file not found; its features will be missing" in (
        messages
    )
    assert len(messages) == 7


def test_columns_get_the_schema_dtypes(tmp_path):
    write(tmp_path, "application_train", valid_rows("application_train"))
    write(tmp_path, "bureau", valid_rows("bureau"))
    tables = load_quietly(tmp_path)
    application = tables["application_train"]
    assert application["SK_ID_CURR"].dtype == "int32"
    assert application["TARGET"].dtype == "int8"
    assert application["AMT_CREDIT"].dtype == "float32"
    assert list(application["NAME_CONTRACT_TYPE"].cat.categories) == [
        "Cash loans",
        "Revolving loans",
    ]
    assert list(application.columns) == list(TABLES["application_train"])
    assert tables["bureau"]["SK_ID_BUREAU"].tolist() == [5000001, 5000002, 5000003]


def test_missing_application_train_is_a_data_error(tmp_path):
    write(tmp_path, "bureau", valid_rows("bureau"))
    with pytest.raises(DataError, match="application_train.csv: required file"):
        load_tables(tmp_path)


def test_missing_required_column_names_file_and_column(tmp_path):
    write(tmp_path, "application_train", valid_rows("application_train").drop(columns="AMT_CREDIT"))
    with pytest.raises(DataError) as error:
        load_quietly(tmp_path)
    assert str(error.value) == "application_train.csv: required column AMT_CREDIT is missing"


def test_text_in_numeric_column_names_file_column_and_row(tmp_path):
    rows = valid_rows("application_train").astype({"AMT_CREDIT": object})
    rows.loc[1, "AMT_CREDIT"] = "lots"
    write(tmp_path, "application_train", rows)
    with pytest.raises(DataError) as error:
        load_quietly(tmp_path)
    assert str(error.value) == (
        "application_train.csv: column AMT_CREDIT must be numeric; found 'lots' on data row 2"
    )


def test_text_in_a_history_table_names_that_table(tmp_path):
    write(tmp_path, "application_train", valid_rows("application_train"))
    bureau = valid_rows("bureau").astype({"DAYS_CREDIT": object})
    bureau.loc[0, "DAYS_CREDIT"] = "yesterday"
    write(tmp_path, "bureau", bureau)
    with pytest.raises(DataError, match=r"^bureau.csv: column DAYS_CREDIT must be numeric"):
        load_quietly(tmp_path)


def test_missing_id_is_a_data_error(tmp_path):
    rows = valid_rows("application_train")
    rows["SK_ID_CURR"] = [100001, np.nan, 100003]
    write(tmp_path, "application_train", rows)
    with pytest.raises(DataError) as error:
        load_quietly(tmp_path)
    assert str(error.value) == (
        "application_train.csv: column SK_ID_CURR must not be empty (data row 2)"
    )


def test_duplicate_client_id_is_a_data_error(tmp_path):
    rows = valid_rows("application_train")
    rows.loc[2, "SK_ID_CURR"] = 100001
    write(tmp_path, "application_train", rows)
    with pytest.raises(DataError) as error:
        load_quietly(tmp_path)
    assert str(error.value) == (
        "application_train.csv: column SK_ID_CURR must be unique; 1 duplicate(s), first 100001"
    )


def test_repeated_bureau_loan_is_dropped_with_a_warning(tmp_path):
    write(tmp_path, "application_train", valid_rows("application_train"))
    bureau = valid_rows("bureau")
    bureau.loc[1, "SK_ID_BUREAU"] = 5000001
    write(tmp_path, "bureau", bureau)
    tables, messages = load_recording(tmp_path)
    assert (
        "bureau.csv: column SK_ID_BUREAU must be unique; 1 duplicate(s), first 5000001; "
        "keeping the first record"
    ) in messages
    assert tables["bureau"]["SK_ID_BUREAU"].tolist() == [5000001, 5000003]


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("TARGET", 2, "application_train.csv: column TARGET must be 0 or 1; found 2"),
        ("AMT_INCOME_TOTAL", -5, "application_train.csv: column AMT_INCOME_TOTAL must be positive"),
        ("DAYS_BIRTH", 300, "application_train.csv: column DAYS_BIRTH must be negative"),
    ],
)
def test_impossible_values_are_data_errors(tmp_path, column, value, message):
    rows = valid_rows("application_train")
    rows.loc[0, column] = value
    write(tmp_path, "application_train", rows)
    with pytest.raises(DataError, match=f"^{message}"):
        load_quietly(tmp_path)


def test_empty_file_is_a_data_error(tmp_path):
    (tmp_path / "application_train.csv").write_text("")
    with pytest.raises(DataError) as error:
        load_quietly(tmp_path)
    assert str(error.value) == "application_train.csv: the file is empty (no header line)"


def test_header_without_rows_is_a_data_error(tmp_path):
    write(tmp_path, "application_train", valid_rows("application_train", n=0))
    with pytest.raises(DataError, match="application_train.csv: the file has a header but no rows"):
        load_quietly(tmp_path)


def test_unreadable_bytes_are_a_data_error(tmp_path):
    (tmp_path / "application_train.csv").write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(DataError, match="application_train.csv: file cannot be read as UTF-8 CSV"):
        load_quietly(tmp_path)


def test_unseen_category_level_becomes_missing_with_a_warning(tmp_path):
    rows = valid_rows("application_train")
    rows.loc[0, "NAME_CONTRACT_TYPE"] = "Crypto loans"
    write(tmp_path, "application_train", rows)
    tables, messages = load_recording(tmp_path)
    assert (
        "application_train.csv: column NAME_CONTRACT_TYPE has values outside the known levels "
        "['Crypto loans']; they are treated as missing"
    ) in messages
    assert tables["application_train"]["NAME_CONTRACT_TYPE"].isna().tolist() == [True, False, False]


def test_load_applications_reads_test_layout_without_target(tmp_path):
    path = write(tmp_path, "new_applications", valid_rows("application_test", n=2))
    applications = load_applications(path)
    assert applications["SK_ID_CURR"].tolist() == [100001, 100002]
    assert "TARGET" not in applications.columns
    assert applications["AMT_ANNUITY"].dtype == "float32"


def test_load_applications_missing_file_is_a_data_error(tmp_path):
    with pytest.raises(DataError, match="nowhere.csv: file not found"):
        load_applications(tmp_path / "nowhere.csv")


@needs_sample
def test_real_sample_loads_every_table():
    tables = load_quietly(SAMPLE)
    shapes = {name: frame.shape for name, frame in tables.items()}
    assert shapes["application_train"] == (6999, 122)
    assert shapes["application_test"] == (5000, 121)
    assert shapes["bureau"] == (4433, 17)  # one repeated SK_ID_BUREAU dropped
    assert shapes["bureau_balance"] == (4622, 3)
    assert shapes["installments_payments"] == (8347, 8)
    assert tables["application_train"]["TARGET"].sum() == 540


def test_byte_order_mark_from_a_spreadsheet_export_is_accepted(tmp_path):
    path = tmp_path / "application_train.csv"
    valid_rows("application_train").to_csv(path, index=False, encoding="utf-8-sig")
    assert load_applications(path)["SK_ID_CURR"].tolist() == [100001, 100002, 100003]


def test_history_file_with_only_a_header_gives_no_history(tmp_path):
    write(tmp_path, "application_train", valid_rows("application_train"))
    write(tmp_path, "bureau", valid_rows("bureau", n=0))
    assert load_quietly(tmp_path)["bureau"].shape == (0, len(TABLES["bureau"]))
