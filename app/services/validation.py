"""The application rulebook: what a raw application may hold, written once.

Each column's rule (type, bounds, levels, the 365243 exception, nullability) produces both the
check run on every API body and form (`check_field`, `validate_application`) and the JSON Schema
published in /api/openapi.json (`Rule.json_schema`), so the two can never disagree. A broken rule
raises InvalidInputError naming the field and the rule; the API answers it with a 422, a form
shows it beside the field.

Column kinds and levels come from training/schema.py. The bounds are the ones real applications
never break, with room to spare (the real data's extremes are quoted beside them), and they are
also what keeps every model feature finite: amounts of money lie between 1 and 10^9 (so that no
ratio of two amounts overflows float32), counts are whole numbers, DAYS_* offsets count at most
100 years backwards (DAYS_EMPLOYED's 365243 is the files' own "not employed" marker), the
applicant is 18 to 100 years old, and normalised scores and housing statistics lie in [0, 1].
Null always means "missing".
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

MAX_AMOUNT = 1_000_000_000  # real data: income up to 1.17e8, credit up to 4.05e6
MAX_PEOPLE = 100  # real data: up to 19 children, 20 family members
MAX_EVENTS = 1_000  # social-circle and credit-bureau counts; real data: up to 348
MAX_CAR_AGE = 100  # years; real data: up to 91
OLDEST_DAYS = -round(MAX_AGE * DAYS_PER_YEAR)  # -36525: no offset older than 100 years
MONEY = ("AMT_INCOME_TOTAL", "AMT_CREDIT", "AMT_ANNUITY", "AMT_GOODS_PRICE")


@dataclass(frozen=True)
class Rule:
    """One application column's rule: its type, bounds or levels, and the rule in words.

    `text` completes "Field 'X' ..." in an API error; `form_text`, when the form names the field
    otherwise (an age instead of DAYS_BIRTH), is what the form shows beside it. `also_allowed` is
    one value accepted outside the bounds (DAYS_EMPLOYED's 365243 marker).
    """

    kind: str  # "category", "int" (whole numbers) or "float"
    minimum: float | None = None
    maximum: float | None = None
    text: str = ""
    levels: tuple[str, ...] = ()
    also_allowed: int | None = None
    form_text: str | None = None

    @property
    def whole(self) -> bool:
        return self.kind == "int"

    def check(self, name: str, value):
        """The clean value (None for null), or InvalidInputError naming the field and rule."""
        if value is None:
            return None
        if self.kind == "category":
            return self._check_level(name, value)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _invalid(name, "must be a number", value)
        # Bounds first: comparing a 400-digit integer with a bound is exact, converting it to a
        # float would overflow.
        if isinstance(value, float) and not math.isfinite(value):
            raise _invalid(name, "must be a finite number", value)
        if value == self.also_allowed:
            return int(value)
        if self.whole and value != int(value):
            raise _invalid(name, "must be a whole number", value)
        if not self.minimum <= value <= self.maximum:
            raise _invalid(name, self.text, value, self.form_text)
        return int(value) if self.whole else float(value)

    def _check_level(self, name: str, value) -> str:
        if not isinstance(value, str):
            raise _invalid(name, "must be a string", value)
        if value not in self.levels:
            raise _invalid(name, f"must be one of {list(self.levels)}", value)
        return value

    def json_schema(self, name: str) -> dict:
        """The same rule as JSON Schema (OpenAPI 3.1); null is always allowed (missing)."""
        if self.kind == "category":
            levels = [*self.levels, None]
            return {"enum": levels, "description": "One of the levels; null when unknown."}
        kind = "integer" if self.whole else "number"
        bounded = {"type": kind, "minimum": self.minimum, "maximum": self.maximum}
        description = f"{name} {self.text}; null when unknown."
        if self.also_allowed is None:
            return {**bounded, "type": [kind, "null"], "description": description}
        return {
            "anyOf": [bounded, {"const": self.also_allowed}, {"type": "null"}],
            "description": description,
        }


def _days_rule(name: str, kind: str) -> Rule:
    past = f"must be between {OLDEST_DAYS} and 0 (days before the application)"
    if name == "DAYS_BIRTH":
        return Rule(
            "int",
            OLDEST_DAYS,
            math.floor(-MIN_AGE * DAYS_PER_YEAR),
            f"age from DAYS_BIRTH must be between {MIN_AGE} and {MAX_AGE} years",
            form_text=f"Must be between {MIN_AGE} and {MAX_AGE} years.",
        )
    if name == "DAYS_EMPLOYED":
        return Rule(
            "int",
            OLDEST_DAYS,
            0,
            f"{past} or {NOT_EMPLOYED_DAYS}",
            also_allowed=NOT_EMPLOYED_DAYS,
            form_text="Must be between 0 and 100 years.",
        )
    return Rule(kind, OLDEST_DAYS, 0, past)


def _count_rule(name: str) -> Rule:
    if name.startswith("CNT_"):
        return Rule("int", 0, MAX_PEOPLE, f"must be a whole number between 0 and {MAX_PEOPLE}")
    return Rule("int", 0, MAX_EVENTS, f"must be a whole number between 0 and {MAX_EVENTS:,}")


def _share_rule(name: str, kind: str) -> Rule | None:
    """Normalised scores, housing statistics and the region's population share: [0, 1]."""
    shares = name.startswith("EXT_SOURCE") or name.endswith(("_AVG", "_MODE", "_MEDI"))
    if shares or name == "REGION_POPULATION_RELATIVE":
        return Rule(kind, 0, 1, "must be between 0 and 1")
    return None


def _rule_for(name: str, kind: str, levels) -> Rule:
    """The rule of one column, from its name and kind (training/schema.py)."""
    if kind == "category":
        return Rule("category", levels=tuple(levels))
    if name.startswith("DAYS_"):
        return _days_rule(name, kind)
    if name in MONEY:
        return Rule("float", 1, MAX_AMOUNT, f"must be between 1 and {MAX_AMOUNT:,}")
    if name.startswith(("CNT_", "OBS_", "DEF_", "AMT_REQ_CREDIT_BUREAU_")):
        return _count_rule(name)
    if share := _share_rule(name, kind):
        return share
    if name.startswith(("FLAG_", "REG_", "LIVE_")):
        return Rule("int", 0, 1, "must be 0 or 1")
    if name in ("REGION_RATING_CLIENT", "REGION_RATING_CLIENT_W_CITY"):
        return Rule("int", 1, 3, "must be 1, 2 or 3")
    if name == "HOUR_APPR_PROCESS_START":
        return Rule("int", 0, 23, "must be an hour between 0 and 23")
    if name == "OWN_CAR_AGE":
        return Rule(kind, 0, MAX_CAR_AGE, f"must be between 0 and {MAX_CAR_AGE} (years)")
    raise ValueError(f"no rule for application column {name} ({kind}): write one here")


RULES = {name: _rule_for(name, kind, spec) for name, (kind, spec) in APPLICATION_COLUMNS.items()}


def is_client_id(value) -> bool:
    """SK_ID_CURR values fit the INTEGER columns of the client store and the log."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_CLIENT_ID


def as_client_id(value) -> int | None:
    """The SK_ID_CURR a JSON value names, or None. 234.0 is 234: JSON Schema calls it an integer."""
    if isinstance(value, float) and value.is_integer() and 0 < value <= MAX_CLIENT_ID:
        value = int(value)
    return value if is_client_id(value) else None


def client_id_schema(nullable: bool = False) -> dict:
    """JSON Schema of an SK_ID_CURR (the same bounds as `is_client_id`)."""
    kind = ["integer", "null"] if nullable else "integer"
    return {"type": kind, "minimum": 1, "maximum": MAX_CLIENT_ID}


def application_schema() -> dict:
    """JSON Schema of one raw application: every rule above, no other field."""
    properties = {"SK_ID_CURR": client_id_schema(nullable=True)}
    properties.update({name: rule.json_schema(name) for name, rule in RULES.items()})
    return {
        "type": "object",
        "description": "Raw application fields (application_test columns); absent or null = "
        "missing. SK_ID_CURR identifies the applicant in the log.",
        "properties": properties,
        "additionalProperties": False,
    }


def _invalid(field: str, rule: str, value, form_text: str | None = None) -> InvalidInputError:
    return InvalidInputError(field, rule, value, form_text=form_text)


def check_field(name: str, value):
    """One application field checked against its rule: the clean value, or InvalidInputError."""
    return RULES[name].check(name, value)


def validate_application(application, where: str = "application") -> tuple[dict, int | None, list]:
    """Check one raw application; returns (clean fields, SK_ID_CURR or None, warnings)."""
    if not isinstance(application, dict):
        message = f"{where!r} must be a JSON object."
        raise InvalidInputError(
            where, "must be a JSON object", application, code="invalid_type", message=message
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
    given = application.get("SK_ID_CURR")
    client_id = None if given is None else as_client_id(given)
    if given is not None and client_id is None:
        raise _invalid("SK_ID_CURR", CLIENT_ID_RULE, given)
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
