"""The application rules: what a raw application may hold, checked for the API and the forms.

Derived from training/schema.py (column kinds and levels). A broken rule raises InvalidInputError
naming the field and the rule; the API answers it with a 422, a form shows it beside the field.
Rules beyond the column kinds are the ones the real data never breaks: amounts and counts are
not negative, DAYS_* columns count backwards from the application (<= 0; DAYS_EMPLOYED's 365243
is the data's own "not employed" marker), the applicant is 18 to 100 years old, normalised
scores and housing statistics lie in [0, 1].
"""

import math
from dataclasses import dataclass

from app.errors import InvalidInputError
from training.domain import DAYS_PER_YEAR, NOT_EMPLOYED_DAYS
from training.schema import TABLES

APPLICATION_COLUMNS = {
    name: spec for name, spec in TABLES["application_test"].items() if name != "SK_ID_CURR"
}
MIN_AGE, MAX_AGE = 18, 100
MAX_CLIENT_ID = 2**31 - 1
CLIENT_ID_RULE = f"must be an integer between 1 and {MAX_CLIENT_ID}"
MISSING_LISTED = 12  # names listed in the "treated as missing" warning before "and N more"


@dataclass(frozen=True)
class Rule:
    """A numeric range a column must respect, with the rule in words.

    `text` completes "Field 'X' ..." in an API error; `form_text`, when the form names the field
    otherwise (an age instead of DAYS_BIRTH), is what the form shows beside it.
    """

    minimum: float | None = None
    maximum: float | None = None
    text: str = ""
    allowed_extra: float | None = None
    form_text: str | None = None


def _rule_for(name: str) -> Rule | None:
    if name == "DAYS_BIRTH":
        return Rule(
            -MAX_AGE * DAYS_PER_YEAR,
            -MIN_AGE * DAYS_PER_YEAR,
            f"age from DAYS_BIRTH must be between {MIN_AGE} and {MAX_AGE} years",
            form_text=f"Must be between {MIN_AGE} and {MAX_AGE} years.",
        )
    if name == "DAYS_EMPLOYED":
        return Rule(
            None,
            0,
            f"must be <= 0 (days before the application) or {NOT_EMPLOYED_DAYS}",
            NOT_EMPLOYED_DAYS,
            form_text="Must not be negative.",
        )
    if name.startswith("DAYS_"):
        return Rule(None, 0, "must be <= 0 (days before the application)")
    if name.startswith("EXT_SOURCE") or name.endswith(("_AVG", "_MODE", "_MEDI")):
        return Rule(0, 1, "must be between 0 and 1")
    if name == "REGION_POPULATION_RELATIVE":
        return Rule(0, 1, "must be between 0 and 1")
    if name.startswith(("FLAG_DOCUMENT", "FLAG_", "REG_", "LIVE_")):
        return Rule(0, 1, "must be 0 or 1")
    if name in ("REGION_RATING_CLIENT", "REGION_RATING_CLIENT_W_CITY"):
        return Rule(1, 3, "must be 1, 2 or 3")
    if name == "HOUR_APPR_PROCESS_START":
        return Rule(0, 23, "must be an hour between 0 and 23")
    if name.startswith(("AMT_", "CNT_", "OWN_CAR_AGE", "OBS_", "DEF_")):
        return Rule(0, None, "must not be negative")
    return None


RULES = {
    name: _rule_for(name) for name, (kind, _) in APPLICATION_COLUMNS.items() if kind != "category"
}


def is_client_id(value) -> bool:
    """SK_ID_CURR values fit the INTEGER columns of the client store and the log."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_CLIENT_ID


def _invalid(field: str, rule: str, value, form_text: str | None = None) -> InvalidInputError:
    return InvalidInputError(field, rule, value, form_text=form_text)


def _check_number(name: str, kind: str, value) -> float | int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _invalid(name, "must be a number", value)
    if not math.isfinite(value):
        raise _invalid(name, "must be a finite number", value)
    if kind == "int" and value != int(value):
        raise _invalid(name, "must be a whole number", value)
    rule = RULES.get(name)
    if rule and value != rule.allowed_extra:
        too_low = rule.minimum is not None and value < rule.minimum
        too_high = rule.maximum is not None and value > rule.maximum
        if too_low or too_high:
            raise _invalid(name, rule.text, value, rule.form_text)
    return int(value) if kind == "int" else float(value)


def check_field(name: str, value):
    """One application field checked against its rule: the clean value, or InvalidInputError."""
    kind, levels = APPLICATION_COLUMNS[name]
    if value is None:
        return None
    if kind == "category":
        if not isinstance(value, str):
            raise _invalid(name, "must be a string", value)
        if value not in levels:
            raise _invalid(name, f"must be one of {levels}", value)
        return value
    return _check_number(name, kind, value)


def validate_application(application, where: str = "application") -> tuple[dict, int | None, list]:
    """Check one raw application; returns (clean fields, SK_ID_CURR or None, warnings)."""
    if not isinstance(application, dict):
        message = f"{where!r} must be a JSON object."
        raise InvalidInputError(
            where, "must be a JSON object", code="invalid_type", message=message
        )
    unknown = sorted(set(application) - set(APPLICATION_COLUMNS) - {"SK_ID_CURR"})
    if unknown:
        raise InvalidInputError(
            unknown[0],
            "must be an application_test column",
            code="unknown_field",
            message=f"Unknown field {unknown[0]!r} in {where}: not an application_test column.",
            unknown_fields=unknown,
            where=where,
        )
    client_id = application.get("SK_ID_CURR")
    if client_id is not None and not is_client_id(client_id):
        raise _invalid("SK_ID_CURR", CLIENT_ID_RULE, client_id)
    clean = {
        name: check_field(name, value)
        for name, value in application.items()
        if name != "SK_ID_CURR"
    }
    return clean, client_id, missing_warnings(clean)


def missing_warnings(fields: dict) -> list[str]:
    """One warning listing the application fields absent or null (the model sees missing)."""
    missing = [name for name in APPLICATION_COLUMNS if fields.get(name) is None]
    if not missing:
        return []
    listed = ", ".join(missing[:MISSING_LISTED])
    more = f" and {len(missing) - MISSING_LISTED} more" if len(missing) > MISSING_LISTED else ""
    return [
        f"{len(missing)} of {len(APPLICATION_COLUMNS)} application fields absent or null, "
        f"treated as missing: {listed}{more}."
    ]
