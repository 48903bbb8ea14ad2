"""The pure comparison (app.monitoring.drift.compare) on synthetic and real data."""

import numpy as np
import pytest

from app.monitoring.drift import PREDICTION_COLUMN, ColumnDrift, compare
from training.features import APPLICATION_COLUMNS
from training.synthetic import SHIFTED_COLUMNS

# The first 50 model input columns in file order: the three shifted ones, amounts, categories
# with many levels (ORGANIZATION_TYPE) and columns that are mostly missing (housing).
COMPARED = APPLICATION_COLUMNS[:50]


def test_compared_columns_cover_the_shift_and_hard_cases():
    assert set(SHIFTED_COLUMNS) <= set(COMPARED)
    assert {"ORGANIZATION_TYPE", "EXT_SOURCE_1", "APARTMENTS_AVG"} <= set(COMPARED)


@pytest.mark.slow
def test_same_distribution_has_no_drift(synthetic_applications):
    train, _ = synthetic_applications
    reference, current = train.iloc[: len(train) // 2], train.iloc[len(train) // 2 :]
    result = compare(reference, current, COMPARED, max_rows=5_000)
    assert result.drifted_columns == []
    assert result.drift_share == 0.0
    assert result.dataset_drift is False
    assert result.rows_reference == 5_000
    assert result.rows_current == 5_000
    assert [c.column for c in result.columns] == COMPARED


@pytest.mark.slow
def test_synthetic_shift_flags_exactly_the_shifted_columns(synthetic_applications):
    train, test = synthetic_applications
    result = compare(train, test, COMPARED, max_rows=5_000)
    assert sorted(result.drifted_columns) == sorted(SHIFTED_COLUMNS)
    assert result.drift_share == pytest.approx(3 / 50)
    assert result.dataset_drift is False  # 6% is far below Evidently's 50% line
    assert result.rows_current == len(test)
    summary = result.summary()
    assert [c["column"] for c in summary["columns"][:3]] == result.drifted_columns
    assert all(c["strength"] > 1 for c in summary["columns"][:3])
    assert all(c["strength"] < 1 for c in summary["columns"][3:])


@pytest.mark.slow
def test_real_sample_train_against_test_reports(real_sample):
    train, test = real_sample
    columns = ["NAME_CONTRACT_TYPE", "EXT_SOURCE_2", "EXT_SOURCE_3", "DAYS_BIRTH", "AMT_CREDIT"]
    result = compare(train, test, columns)
    assert (result.rows_reference, result.rows_current) == (6_999, 5_000)
    assert [c.column for c in result.columns] == columns
    # The real test file has far fewer revolving loans than the training file (a known shift).
    assert "NAME_CONTRACT_TYPE" in result.drifted_columns
    assert result.summary()["drifted_columns"] == result.drifted_columns
    assert result.html.lstrip().lower().startswith("<!doctype html>")
    assert "<script src=" not in result.html  # self-contained: no script fetched from a CDN


def test_prediction_is_compared_apart_from_the_inputs():
    rng = np.random.default_rng(0)
    import pandas as pd

    reference = pd.DataFrame({"AMT_CREDIT": rng.normal(5e5, 1e5, 400)})
    current = pd.DataFrame({"AMT_CREDIT": rng.normal(5e5, 1e5, 400)})
    reference[PREDICTION_COLUMN] = rng.uniform(0.0, 0.2, 400)
    current[PREDICTION_COLUMN] = rng.uniform(0.3, 0.5, 400)
    result = compare(reference, current, ["AMT_CREDIT", PREDICTION_COLUMN])
    assert [c.column for c in result.columns] == ["AMT_CREDIT"]
    assert result.drifted_columns == []
    assert result.prediction is not None and result.prediction.drifted is True
    assert result.mean_probability_current == pytest.approx(current[PREDICTION_COLUMN].mean())
    assert result.mean_probability_reference == pytest.approx(reference[PREDICTION_COLUMN].mean())


def test_logged_text_values_compare_like_numbers_and_empty_columns_are_skipped():
    import pandas as pd

    rng = np.random.default_rng(1)
    reference = pd.DataFrame(
        {
            "AMT_CREDIT": rng.normal(5e5, 1e5, 300),
            "FLAG_OWN_CAR": rng.choice(["Y", "N"], 300),
            "OWN_CAR_AGE": rng.uniform(0, 20, 300),
        }
    )
    current = reference.sample(frac=1.0, random_state=2).reset_index(drop=True)
    current["AMT_CREDIT"] = current["AMT_CREDIT"].map(str)  # as JSON may hand it back
    current["OWN_CAR_AGE"] = None
    result = compare(reference, current, ["AMT_CREDIT", "FLAG_OWN_CAR", "OWN_CAR_AGE", "NOPE"])
    assert [c.column for c in result.columns] == ["AMT_CREDIT", "FLAG_OWN_CAR"]
    assert result.drifted_columns == []
    assert result.skipped_columns == {
        "OWN_CAR_AGE": "no values in the current sample",
        "NOPE": "no values in the reference sample",
    }


def test_strength_puts_p_values_and_distances_on_one_scale():
    on_limit_p = ColumnDrift("a", "K-S p_value", 0.05, 0.05, False)
    strong_p = ColumnDrift("b", "K-S p_value", 1e-10, 0.05, True)
    zero_p = ColumnDrift("c", "chi-square p_value", 0.0, 0.05, True)
    distance = ColumnDrift("d", "Wasserstein distance (normed)", 0.25, 0.1, True)
    assert on_limit_p.strength == pytest.approx(1.0)
    assert strong_p.strength == pytest.approx(10 / 1.30103, rel=1e-4)
    assert zero_p.strength == pytest.approx(300 / 1.30103, rel=1e-4)
    assert distance.strength == pytest.approx(2.5)
