"""Input validation of raw applications (app/services/validation.py): every rule named."""

import pytest

from app.errors import InvalidInputError
from app.services.validation import APPLICATION_COLUMNS, validate_application
from tests.helpers import GOOD_APPLICATION


def test_valid_application_is_kept_and_missing_fields_are_warned():
    fields, client_id, warnings = validate_application(dict(GOOD_APPLICATION, SK_ID_CURR=7))
    assert client_id == 7
    assert fields == GOOD_APPLICATION
    missing = len(APPLICATION_COLUMNS) - len(GOOD_APPLICATION)
    assert len(warnings) == 1
    assert warnings[0].startswith(f"{missing} of {len(APPLICATION_COLUMNS)} application fields")


def test_complete_application_has_no_warning():
    complete = {name: None for name in APPLICATION_COLUMNS}
    complete.update(GOOD_APPLICATION)
    for name, (kind, levels) in APPLICATION_COLUMNS.items():
        if complete[name] is None:
            complete[name] = levels[0] if kind == "category" else 0
    complete["DAYS_BIRTH"] = -12000
    complete["REGION_RATING_CLIENT_W_CITY"] = 1
    assert validate_application(complete)[2] == []


@pytest.mark.parametrize(
    ("field", "value", "rule"),
    [
        ("AMT_INCOME_TOTAL", -1.0, "must be between 1 and 1,000,000,000"),
        ("AMT_INCOME_TOTAL", "a lot", "must be a number"),
        ("AMT_INCOME_TOTAL", True, "must be a number"),
        ("CNT_CHILDREN", 1.5, "must be a whole number"),
        ("DAYS_BIRTH", -17 * 365, "age from DAYS_BIRTH must be between 18 and 100 years"),
        ("DAYS_BIRTH", -101 * 366, "age from DAYS_BIRTH must be between 18 and 100 years"),
        ("DAYS_ID_PUBLISH", 3, "must be between -36525 and 0 (days before the application)"),
        (
            "DAYS_EMPLOYED",
            10,
            "must be between -36525 and 0 (days before the application) or 365243",
        ),
        ("EXT_SOURCE_2", 1.2, "must be between 0 and 1"),
        ("EXT_SOURCE_1", -0.1, "must be between 0 and 1"),
        ("NAME_CONTRACT_TYPE", "Mortgage", "must be one of ['Cash loans', 'Revolving loans']"),
        ("NAME_CONTRACT_TYPE", 3, "must be a string"),
        ("FLAG_DOCUMENT_3", 2, "must be 0 or 1"),
        ("HOUR_APPR_PROCESS_START", 24, "must be an hour between 0 and 23"),
    ],
)
def test_impossible_values_are_refused_naming_field_and_rule(field, value, rule):
    with pytest.raises(InvalidInputError) as caught:
        validate_application(dict(GOOD_APPLICATION, **{field: value}))
    error = caught.value
    assert (error.status, error.code) == (422, "invalid_value")
    assert error.details == {"field": field, "rule": rule, "value": value}
    assert field in error.message and rule in error.message


def test_days_employed_marker_is_accepted():
    fields, _, _ = validate_application(dict(GOOD_APPLICATION, DAYS_EMPLOYED=365243))
    assert fields["DAYS_EMPLOYED"] == 365243


def test_unknown_field_is_named():
    with pytest.raises(InvalidInputError) as caught:
        validate_application(dict(GOOD_APPLICATION, TARGET=1, SALARY=3))
    assert caught.value.code == "unknown_field"
    assert caught.value.details["unknown_fields"] == ["SALARY", "TARGET"]
    assert "'SALARY'" in caught.value.message


def test_null_is_missing_not_an_error():
    fields, _, warnings = validate_application({"EXT_SOURCE_2": None, "AMT_CREDIT": 1000.0})
    assert fields == {"EXT_SOURCE_2": None, "AMT_CREDIT": 1000.0}
    assert warnings[0].startswith("119 of 120 application fields absent or null")
