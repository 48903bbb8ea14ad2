"""History aggregates and the feature function: exact values on hand-made tables, the contract."""

import math
import warnings

import numpy as np
import pandas as pd
import pytest

from tests.real_sample import REAL_SAMPLE
from training.dataset import load_tables
from training.engineered import ENGINEERED
from training.features import (
    APPLICATION_COLUMNS,
    CATEGORY_LEVELS,
    FEATURE_GROUPS,
    FEATURE_NAMES,
    GROUP_LABELS,
    HISTORY_COLUMNS,
    NEVER_A_REFUSAL_REASON,
    PROTECTED_COLUMNS,
    PROTECTED_GROUPS,
    build_features,
    feature_matrix,
    feature_names,
    group_of,
    history_aggregates,
)

SAMPLE = REAL_SAMPLE
needs_sample = pytest.mark.skipif(not SAMPLE.is_dir(), reason="real sample absent")
NAN = float("nan")


def history_tables() -> dict[str, pd.DataFrame]:
    """Client 1: bureau, statuses, previous applications, instalments; 2: one bureau loan;
    3: point-of-sale and credit-card months only."""
    bureau = pd.DataFrame(
        {
            "SK_ID_CURR": [1, 1, 2],
            "SK_ID_BUREAU": [501, 502, 503],
            "CREDIT_ACTIVE": ["Active", "Closed", "Active"],
            "AMT_CREDIT_SUM_DEBT": [100.0, 0.0, 50.0],
            "AMT_CREDIT_SUM": [400.0, 1000.0, 0.0],
            "AMT_CREDIT_SUM_OVERDUE": [0.0, 0.0, 7.0],
            "AMT_CREDIT_MAX_OVERDUE": [NAN, 50.0, NAN],
            "CREDIT_DAY_OVERDUE": [0.0, 0.0, 12.0],
            "CNT_CREDIT_PROLONG": [0.0, 1.0, 0.0],
            "DAYS_CREDIT": [-100.0, -700.0, -30.0],
            "DAYS_CREDIT_ENDDATE": [200.0, -300.0, NAN],
        }
    )
    bureau_balance = pd.DataFrame(
        {
            "SK_ID_BUREAU": [501] * 4 + [502] * 4 + [999],  # 999: a loan absent from bureau
            "STATUS": ["0", "1", "C", "X", "0", "0", "3", "5", "5"],
        }
    )
    previous = pd.DataFrame(
        {
            "SK_ID_CURR": [1, 1, 1],
            "NAME_CONTRACT_STATUS": ["Approved", "Refused", "Canceled"],
            "AMT_APPLICATION": [100.0, 300.0, 0.0],
            "AMT_CREDIT": [200.0, 0.0, 0.0],
            "AMT_ANNUITY": [10.0, NAN, NAN],
            "CNT_PAYMENT": [12.0, NAN, NAN],
            "DAYS_DECISION": [-50.0, -20.0, -400.0],
        }
    )
    # instalment 1 is paid in two parts, the last 5 days late; instalment 2 is paid early, 10 short
    installments = pd.DataFrame(
        {
            "SK_ID_CURR": [1, 1, 1],
            "SK_ID_PREV": [11, 11, 11],
            "NUM_INSTALMENT_VERSION": [1.0, 1.0, 1.0],
            "NUM_INSTALMENT_NUMBER": [1, 1, 2],
            "DAYS_INSTALMENT": [-100.0, -100.0, -70.0],
            "DAYS_ENTRY_PAYMENT": [-105.0, -95.0, -80.0],
            "AMT_INSTALMENT": [100.0, 100.0, 100.0],
            "AMT_PAYMENT": [60.0, 40.0, 90.0],
        }
    )
    pos = pd.DataFrame(
        {
            "SK_ID_CURR": [3, 3, 3],
            "SK_ID_PREV": [31, 31, 32],
            "SK_DPD": [0.0, 10.0, 0.0],
            "SK_DPD_DEF": [0.0, 2.0, 0.0],
            "CNT_INSTALMENT_FUTURE": [5.0, 4.0, NAN],
        }
    )
    cards = pd.DataFrame(
        {
            "SK_ID_CURR": [3, 3],
            "AMT_BALANCE": [50.0, 0.0],
            "AMT_CREDIT_LIMIT_ACTUAL": [100.0, 0.0],
            "AMT_DRAWINGS_CURRENT": [10.0, 0.0],
            "CNT_DRAWINGS_CURRENT": [1.0, 0.0],
            "AMT_DRAWINGS_ATM_CURRENT": [5.0, NAN],
            "SK_DPD": [0.0, 3.0],
        }
    )
    return {
        "bureau": bureau,
        "bureau_balance": bureau_balance,
        "previous_application": previous,
        "installments_payments": installments,
        "POS_CASH_balance": pos,
        "credit_card_balance": cards,
    }


def assert_values(row: pd.Series, expected: dict) -> None:
    actual = {name: float(row[name]) for name in expected}
    assert actual == pytest.approx(expected, rel=1e-6, nan_ok=True)


def test_history_has_one_row_per_client_and_the_fixed_columns():
    history = history_aggregates(history_tables())
    assert history.index.tolist() == [1, 2, 3]
    assert history.index.name == "SK_ID_CURR"
    assert list(history.columns) == HISTORY_COLUMNS
    assert set(history.dtypes) == {np.dtype("float32")}


def test_bureau_aggregates_split_active_and_closed_loans():
    history = history_aggregates(history_tables())
    assert_values(
        history.loc[1],
        {
            "BUREAU_LOAN_COUNT": 2,
            "BUREAU_ACTIVE_COUNT": 1,
            "BUREAU_CLOSED_COUNT": 1,
            "BUREAU_ACTIVE_DEBT_SUM": 100,
            "BUREAU_ACTIVE_CREDIT_SUM": 400,
            "BUREAU_ACTIVE_DEBT_CREDIT_RATIO": 0.25,
            "BUREAU_CLOSED_CREDIT_SUM": 1000,
            "BUREAU_MAX_OVERDUE_AMOUNT": 50,
            "BUREAU_PROLONG_COUNT": 1,
            "BUREAU_DAYS_CREDIT_MEAN": -400,
            "BUREAU_DAYS_CREDIT_LAST": -100,
            "BUREAU_DAYS_CREDIT_FIRST": -700,
            "BUREAU_ACTIVE_ENDDATE_MAX": 200,
        },
    )
    # a zero credit amount gives a missing ratio, never an infinity
    assert_values(
        history.loc[2],
        {
            "BUREAU_ACTIVE_DEBT_CREDIT_RATIO": NAN,
            "BUREAU_OVERDUE_AMOUNT_SUM": 7,
            "BUREAU_DAYS_OVERDUE_MAX": 12,
        },
    )


def test_bureau_balance_late_shares_count_months_with_a_known_status():
    history = history_aggregates(history_tables())
    # client 1: 8 months, 6 with status 0-5, of which 1, 3, 5 late and 3, 5 severely late
    assert_values(
        history.loc[1],
        {
            "BB_MONTHS_COUNT": 8,
            "BB_LATE_MONTHS_COUNT": 3,
            "BB_LATE_SHARE": 0.5,
            "BB_SEVERE_LATE_SHARE": 2 / 6,
        },
    )
    assert math.isnan(history.loc[3, "BB_MONTHS_COUNT"])


def test_previous_application_aggregates():
    history = history_aggregates(history_tables())
    assert_values(
        history.loc[1],
        {
            "PREV_COUNT": 3,
            "PREV_APPROVED_COUNT": 1,
            "PREV_REFUSED_COUNT": 1,
            "PREV_APPROVED_SHARE": 1 / 3,
            "PREV_REFUSED_SHARE": 1 / 3,
            "PREV_REFUSED_DAYS_LAST": -20,
            "PREV_AMT_APPLICATION_MEAN": 400 / 3,
            "PREV_AMT_CREDIT_MEAN": 200 / 3,
            "PREV_AMT_ANNUITY_MEAN": 10,
            "PREV_APP_CREDIT_RATIO_MEAN": 0.5,
            "PREV_APP_CREDIT_RATIO_MIN": 0.5,
            "PREV_CNT_PAYMENT_MEAN": 12,
            "PREV_DAYS_DECISION_MEAN": -470 / 3,
            "PREV_DAYS_DECISION_LAST": -20,
        },
    )
    assert math.isnan(history.loc[2, "PREV_COUNT"])


def test_instalments_are_judged_per_instalment_not_per_payment():
    history = history_aggregates(history_tables())
    assert_values(
        history.loc[1],
        {
            "INST_COUNT": 2,
            "INST_LATE_SHARE": 0.5,
            "INST_DAYS_LATE_MEAN": 2.5,
            "INST_DAYS_LATE_MAX": 5,
            "INST_UNDERPAID_SHARE": 0.5,
            "INST_UNDERPAID_AMOUNT_SUM": 10,
            "INST_PAYMENT_RATIO_MEAN": 0.95,
        },
    )


def test_point_of_sale_and_credit_card_aggregates():
    history = history_aggregates(history_tables())
    assert_values(
        history.loc[3],
        {
            "POS_MONTHS_COUNT": 3,
            "POS_LOAN_COUNT": 2,
            "POS_DPD_MAX": 10,
            "POS_DPD_MEAN": 10 / 3,
            "POS_DPD_DEF_MAX": 2,
            "POS_LATE_SHARE": 1 / 3,
            "POS_INSTALMENTS_FUTURE_MEAN": 4.5,
            "CC_MONTHS_COUNT": 2,
            "CC_BALANCE_MEAN": 25,
            "CC_LIMIT_MEAN": 50,
            "CC_UTILISATION_MEAN": 0.5,  # the month with no limit has no utilisation
            "CC_UTILISATION_MAX": 0.5,
            "CC_DRAWINGS_MEAN": 5,
            "CC_DRAWINGS_COUNT_MEAN": 0.5,
            "CC_ATM_DRAWINGS_MEAN": 5,
            "CC_DPD_MAX": 3,
            "CC_DPD_MEAN": 1.5,
            "CC_LATE_SHARE": 0.5,
        },
    )


def test_absent_tables_leave_their_columns_missing():
    tables = history_tables()
    history = history_aggregates({"previous_application": tables["previous_application"]})
    assert list(history.columns) == HISTORY_COLUMNS
    assert history.index.tolist() == [1]
    assert (
        history.drop(columns=[c for c in HISTORY_COLUMNS if c.startswith("PREV_")])
        .isna()
        .all(axis=None)
    )
    assert history_aggregates({}).shape == (0, len(HISTORY_COLUMNS))


APPLICANT = {
    "SK_ID_CURR": 100001,
    "TARGET": 1,
    "CODE_GENDER": "F",
    "NAME_FAMILY_STATUS": "Married",
    "AMT_INCOME_TOTAL": 100000.0,
    "AMT_CREDIT": 500000.0,
    "AMT_ANNUITY": 25000.0,
    "AMT_GOODS_PRICE": 450000.0,
    "CNT_CHILDREN": 1,
    "CNT_FAM_MEMBERS": 2.0,
    "DAYS_BIRTH": -20000,
    "DAYS_EMPLOYED": -2000,
    "EXT_SOURCE_1": 0.2,
    "EXT_SOURCE_3": 0.6,
    "FLAG_DOCUMENT_3": 1,
    "FLAG_DOCUMENT_8": 1,
    "NAME_CONTRACT_TYPE": "Cash loans",
    "ORGANIZATION_TYPE": "XNA",
    "NAME_HOUSING_TYPE": "Castle",
    "BUREAU_ACTIVE_DEBT_SUM": 50000.0,
}


def test_output_columns_are_fixed_and_never_protected():
    X = build_features(APPLICANT)
    assert list(X.columns) == FEATURE_NAMES == feature_names()
    for column in (*PROTECTED_COLUMNS, "TARGET", "SK_ID_CURR"):
        assert column not in X.columns
    assert PROTECTED_COLUMNS == ("CODE_GENDER", "NAME_FAMILY_STATUS")
    assert len(FEATURE_NAMES) == len(set(FEATURE_NAMES))


def test_ratios_of_one_new_applicant():
    row = build_features(APPLICANT).iloc[0]
    assert_values(
        row,
        {
            "CREDIT_INCOME_RATIO": 5,
            "ANNUITY_INCOME_RATIO": 0.25,
            "ANNUITY_CREDIT_RATIO": 0.05,
            "CREDIT_TERM": 20,
            "GOODS_CREDIT_RATIO": 0.9,
            "CREDIT_GOODS_DIFFERENCE": 50000,
            "EMPLOYED_AGE_RATIO": 0.1,
            "DAYS_EMPLOYED_ANOMALY": 0,
            "INCOME_PER_FAMILY_MEMBER": 50000,
            "CHILDREN_FAMILY_RATIO": 0.5,
            "DOCUMENT_COUNT": 2,
            "EXT_SOURCES_MEAN": 0.4,
            "EXT_SOURCES_MIN": 0.2,
            "EXT_SOURCES_MAX": 0.6,
            "EXT_SOURCES_STD": 0.2,
            "EXT_SOURCES_COUNT": 2,
            "BUREAU_ACTIVE_DEBT_INCOME_RATIO": 0.5,
            "BUREAU_LOAN_COUNT": NAN,
        },
    )


def test_pensioner_days_employed_becomes_missing_with_a_flag():
    row = build_features({**APPLICANT, "DAYS_EMPLOYED": 365243}).iloc[0]
    assert_values(
        row, {"DAYS_EMPLOYED": NAN, "DAYS_EMPLOYED_ANOMALY": 1, "EMPLOYED_AGE_RATIO": NAN}
    )


def test_categories_keep_fixed_levels_and_lose_xna_and_unseen_values():
    X = build_features(APPLICANT)
    assert X["NAME_CONTRACT_TYPE"].tolist() == ["Cash loans"]
    assert list(X["NAME_CONTRACT_TYPE"].cat.categories) == ["Cash loans", "Revolving loans"]
    assert X["ORGANIZATION_TYPE"].isna().tolist() == [True]
    assert "XNA" not in CATEGORY_LEVELS["ORGANIZATION_TYPE"]
    assert X["NAME_HOUSING_TYPE"].isna().tolist() == [True]  # "Castle" is no known level


def test_empty_application_gives_one_row_of_missing_values():
    X = build_features({})
    assert X.shape == (1, len(FEATURE_NAMES))
    assert X.drop(columns=["EXT_SOURCES_COUNT", "MISSING_COUNT"]).isna().all(axis=None)
    assert X.loc[0, "EXT_SOURCES_COUNT"] == 0
    assert X.loc[0, "MISSING_COUNT"] == len(APPLICATION_COLUMNS)  # every field is missing


def test_text_in_a_numeric_field_is_a_clear_error():
    with pytest.raises(ValueError, match="^column AMT_CREDIT must be numeric; got 'a lot'$"):
        build_features({**APPLICANT, "AMT_CREDIT": "a lot"})


def test_a_row_alone_gives_the_same_features_as_in_a_batch():
    other = {**APPLICANT, "SK_ID_CURR": 100002, "AMT_CREDIT": 80000.0, "NAME_HOUSING_TYPE": None}
    batch = pd.DataFrame([other, APPLICANT], index=[7, 9])
    X_batch = build_features(batch)
    assert X_batch.index.tolist() == [7, 9]
    X_alone = build_features(APPLICANT)
    X_alone.index = [9]
    pd.testing.assert_frame_equal(X_alone, X_batch.loc[[9]])


def test_every_feature_has_a_labelled_group():
    assert set(FEATURE_GROUPS) == set(FEATURE_NAMES)
    assert set(FEATURE_GROUPS.values()) == set(GROUP_LABELS)
    assert group_of("DAYS_BIRTH") == "age"
    assert group_of("EXT_SOURCES_MEAN") == "external_scores"
    assert group_of("PREV_REFUSED_COUNT") == "prev_refused"
    assert group_of("INST_UNDERPAID_SHARE") == "underpayment"
    assert GROUP_LABELS["annuity_burden"] == "Repayment burden relative to income"
    assert {"age"} == NEVER_A_REFUSAL_REASON
    assert frozenset() == PROTECTED_GROUPS
    with pytest.raises(KeyError, match="CODE_GENDER is not an output column"):
        group_of("CODE_GENDER")


@needs_sample
@pytest.mark.slow
def test_real_sample_end_to_end():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tables = load_tables(SAMPLE)
    history = history_aggregates(tables)
    applications = tables["application_train"].join(history, on="SK_ID_CURR")
    X = build_features(applications)
    assert X.shape == (6999, len(FEATURE_NAMES))
    assert X.index.equals(applications.index)
    with_bureau = int(X["BUREAU_LOAN_COUNT"].notna().sum())
    assert with_bureau == 643  # clients of application_train present in bureau.csv
    # one client read from the file, scored alone as a dict, matches its row in the batch
    position = int(np.flatnonzero(X["BUREAU_LOAN_COUNT"].notna().to_numpy())[0])
    alone = build_features(applications.iloc[position].to_dict())
    alone.index = X.index[[position]]
    pd.testing.assert_frame_equal(alone, X.iloc[[position]])
    assert (X["DAYS_EMPLOYED_ANOMALY"] == 1).sum() == 1260


def test_a_series_is_read_as_one_application():
    X = build_features(pd.Series(APPLICANT))
    pd.testing.assert_frame_equal(X, build_features(APPLICANT))


def test_competition_features_of_one_new_applicant():
    applicant = {
        **APPLICANT,
        "EXT_SOURCE_2": 0.5,
        "FLAG_MOBIL": 1,
        "FLAG_PHONE": 1,
        "FLAG_EMAIL": 0,
        "REG_CITY_NOT_LIVE_CITY": 1,
        "LIVE_CITY_NOT_WORK_CITY": 1,
        "REG_REGION_NOT_WORK_REGION": 0,
        "AMT_REQ_CREDIT_BUREAU_MON": 2,
        "AMT_REQ_CREDIT_BUREAU_YEAR": 3,
        "OBS_30_CNT_SOCIAL_CIRCLE": 4,
        "DEF_30_CNT_SOCIAL_CIRCLE": 1,
        "DAYS_LAST_PHONE_CHANGE": -1000,
        "DAYS_ID_PUBLISH": -4000,
    }
    row = build_features(applicant).iloc[0]
    years = 20000 / 365.25
    assert_values(
        row,
        {
            "EXT_SOURCES_PROD": 0.2 * 0.5 * 0.6,
            "EXT_SOURCES_WEIGHTED": (2 * 0.2 + 0.5 + 3 * 0.6) / 6,
            "EXT_SOURCES_MEAN_X_PAYMENT_RATE": (1.3 / 3) * 0.05,
            "EXT_SOURCES_MEAN_X_AGE": (1.3 / 3) * years,
            "PHONE_CHANGE_AGE_RATIO": 0.05,
            "ID_PUBLISH_AGE_RATIO": 0.2,
            "CONTACT_FLAG_COUNT": 2,
            "REGION_MISMATCH_COUNT": 2,
            "ENQUIRY_COUNT": 5,
            "SOCIAL_CIRCLE_DEFAULT_RATIO": 0.25,
        },
    )
    # one missing score leaves the weighted mean defined and the product missing
    assert_values(build_features(APPLICANT).iloc[0], {
        "EXT_SOURCES_PROD": NAN,
        "EXT_SOURCES_WEIGHTED": (2 * 0.2 + 3 * 0.6) / 5,
    })  # fmt: skip


def test_every_column_computed_from_the_age_is_in_the_age_group():
    from_age = {f.name for f in ENGINEERED if "DAYS_BIRTH" in f.inputs}
    assert {"EMPLOYED_AGE_RATIO", "EXT_SOURCES_MEAN_X_AGE", "PHONE_CHANGE_AGE_RATIO"} <= from_age
    assert {name: group_of(name) for name in from_age} == dict.fromkeys(from_age, "age")
    assert {f.name for f in ENGINEERED} <= set(FEATURE_NAMES)


def test_building_statistics_keep_the_average_only():
    assert "APARTMENTS_AVG" in FEATURE_NAMES
    assert not {"APARTMENTS_MODE", "APARTMENTS_MEDI", "LIVINGAREA_MEDI"} & set(FEATURE_NAMES)
    assert {"TOTALAREA_MODE", "HOUSETYPE_MODE"} <= set(FEATURE_NAMES)  # no average of these


def test_feature_matrix_is_build_features_as_numbers_and_level_codes():
    other = {**APPLICANT, "AMT_CREDIT": 80000.0, "NAME_HOUSING_TYPE": "Rented apartment"}
    frame = pd.DataFrame([other, APPLICANT, {}])
    matrix = feature_matrix(frame)
    assert matrix.dtype == np.float32
    np.testing.assert_array_equal(matrix, feature_matrix([other, APPLICANT, {}]))
    X = build_features(frame)
    for i, column in enumerate(FEATURE_NAMES):
        expected = X[column]
        if isinstance(expected.dtype, pd.CategoricalDtype):
            expected = expected.cat.codes.replace(-1, np.nan)
        np.testing.assert_array_equal(matrix[:, i], expected.to_numpy(dtype="float32"))
    housing = FEATURE_NAMES.index("NAME_HOUSING_TYPE")
    assert matrix[0, housing] == CATEGORY_LEVELS["NAME_HOUSING_TYPE"].index("Rented apartment")
