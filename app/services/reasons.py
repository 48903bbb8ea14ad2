"""Reason codes: the business groups that raise and lower one client's risk, in words."""

import math

from app.services.formatting import percent
from training.domain import NOT_EMPLOYED_DAYS, employment_years, years_from_days
from training.features import GROUP_LABELS, NEVER_A_REFUSAL_REASON, PROTECTED_GROUPS

TOP_REASONS = 4
# Fairness: never a reason whatever the model says (gender and family status are not inputs at
# all; these names also guard against a future feature group about them).
ALWAYS_HIDDEN = frozenset({"gender", "family_status", *PROTECTED_GROUPS})


def _number(fields: dict, name: str) -> float | None:
    value = fields.get(name)
    if value is None or isinstance(value, str):
        return None
    value = float(value)
    return None if math.isnan(value) else value


def _ratio(fields: dict, numerator: str, denominator: str) -> float | None:
    top, bottom = _number(fields, numerator), _number(fields, denominator)
    return None if top is None or not bottom else top / bottom


def _external_scores(fields):
    known = [
        v
        for n in ("EXT_SOURCE_1", "EXT_SOURCE_2", "EXT_SOURCE_3")
        if (v := _number(fields, n)) is not None
    ]
    if not known:
        return "none known"
    mean = sum(known) / len(known)
    level = "low" if mean < 0.4 else "medium" if mean < 0.6 else "high"
    return f"average {mean:.2f} ({level})"


def _age(fields):
    days = _number(fields, "DAYS_BIRTH")
    return None if days is None else f"{int(years_from_days(days))} years"


def _employment(fields):
    days = _number(fields, "DAYS_EMPLOYED")
    if days is None:
        return None
    if days == NOT_EMPLOYED_DAYS:
        return "not in employment (pensioner or unemployed)"
    return f"{employment_years(days):.1f} years in current job"


def _income(fields):
    income = _number(fields, "AMT_INCOME_TOTAL")
    return None if income is None else f"{income:,.0f} a year"


def _credit_income(fields):
    ratio = _ratio(fields, "AMT_CREDIT", "AMT_INCOME_TOTAL")
    return None if ratio is None else f"credit is {ratio:.1f} times the yearly income"


def _annuity_burden(fields):
    ratio = _ratio(fields, "AMT_ANNUITY", "AMT_INCOME_TOTAL")
    return None if ratio is None else f"repayments take {percent(ratio, 0)} of the income"


def _loan_term(fields):
    years = _ratio(fields, "AMT_CREDIT", "AMT_ANNUITY")
    return None if years is None else f"about {years:.1f} years of repayments"


def _text(name):
    return lambda fields: fields.get(name) if isinstance(fields.get(name), str) else None


def _household(fields):
    children = _number(fields, "CNT_CHILDREN")
    return None if children is None else f"{int(children)} children"


def _bureau_enquiries(fields):
    count = _number(fields, "AMT_REQ_CREDIT_BUREAU_YEAR")
    return None if count is None else f"{int(count)} enquiries in the last year"


DESCRIBE = {
    "external_scores": _external_scores,
    "age": _age,
    "employment": _employment,
    "income": _income,
    "credit_income": _credit_income,
    "annuity_burden": _annuity_burden,
    "loan_term": _loan_term,
    "education": _text("NAME_EDUCATION_TYPE"),
    "occupation": _text("OCCUPATION_TYPE"),
    "housing": _text("NAME_HOUSING_TYPE"),
    "household": _household,
    "bureau_enquiries": _bureau_enquiries,
}


def _reason(group: str, contribution: float, fields: dict) -> dict:
    label = GROUP_LABELS.get(group, group.replace("_", " ").capitalize())
    describe = DESCRIBE.get(group)
    client_value = describe(fields) if describe else None
    direction = "raises" if contribution > 0 else "lowers"
    return {
        "group": group,
        "label": label,
        "direction": direction,
        "contribution": round(float(contribution), 6),
        "client_value": client_value,
        "text": f"{label}: {client_value}" if client_value else label,
    }


def reason_codes(
    contributions: dict[str, float], fields: dict, top: int = TOP_REASONS
) -> list[dict]:
    """Up to `top` groups raising the risk (largest first), then up to `top` lowering it.

    Protected groups never appear; age may lower the risk but is never told as raising it.
    """
    allowed = {g: c for g, c in contributions.items() if g not in ALWAYS_HIDDEN and c != 0}
    raising = sorted(
        ((g, c) for g, c in allowed.items() if c > 0 and g not in NEVER_A_REFUSAL_REASON),
        key=lambda item: -item[1],
    )[:top]
    lowering = sorted(((g, c) for g, c in allowed.items() if c < 0), key=lambda item: item[1])[:top]
    return [_reason(group, value, fields) for group, value in (*raising, *lowering)]
