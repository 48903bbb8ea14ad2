"""Reason codes: the business groups that raise and lower one client's risk, in words.

Each group's value for the client is a `Phrase`: an English sentence pattern and its numbers.
The API's `text` and `client_value` say it in English with the formats it has always had (a
machine contract, whatever the caller's language); the pages say it in their own language with
`page_text`, so `/api/predict` never changes with a browser's Accept-Language.
"""

import math
from dataclasses import dataclass

from flask_babel import gettext

from app.i18n import N_, Nn_, plural, translated
from app.services import formatting
from training.domain import NOT_EMPLOYED_DAYS, employment_years, years_from_days
from training.features import GROUP_LABELS, NEVER_A_REFUSAL_REASON, PROTECTED_GROUPS

TOP_REASONS = 4
# Fairness: never a reason whatever the model says (gender and family status are not inputs at
# all; these names also guard against a future feature group about them).
ALWAYS_HIDDEN = frozenset({"gender", "family_status", *PROTECTED_GROUPS})

# How each kind of number reads: in the API (fixed English formats) and on a page.
API_FORMATS = {
    "amount": lambda v: f"{v:,.0f}",
    "decimal1": lambda v: f"{v:.1f}",
    "decimal2": lambda v: f"{v:.2f}",
    "percent0": lambda v: f"{100 * v:.0f}%",
    "whole": lambda v: f"{int(v)}",
    "category": str,
}
PAGE_FORMATS = {
    "amount": formatting.amount,
    "decimal1": lambda v: formatting.number(v, 1),
    "decimal2": lambda v: formatting.number(v, 2),
    "percent0": lambda v: formatting.percent(v, 0),
    "whole": lambda v: formatting.amount(int(v)),
    "category": translated,
}


@dataclass(frozen=True)
class Phrase:
    """A client's value in words: an English pattern (a message id) and its typed values.

    `forms` (singular, plural; with `count`, the name of a "whole" value) are the page's plural
    forms; the API keeps `pattern` for every count, as it always has ("1 children").
    """

    pattern: str
    values: tuple[tuple[str, str, object], ...] = ()  # (name, kind, value)
    forms: tuple[str, str] | None = None
    count: str | None = None

    def english(self) -> str:
        return self.pattern % {name: API_FORMATS[kind](v) for name, kind, v in self.values}

    def in_page_language(self) -> str:
        values = {name: PAGE_FORMATS[kind](v) for name, kind, v in self.values}
        if self.forms is not None:
            number = int(next(v for name, _, v in self.values if name == self.count))
            return plural(*self.forms, number, **values)
        return gettext(self.pattern, **values)


def _number(fields: dict, name: str) -> float | None:
    value = fields.get(name)
    if value is None or isinstance(value, str):
        return None
    value = float(value)
    return None if math.isnan(value) else value


def _ratio(fields: dict, numerator: str, denominator: str) -> float | None:
    top, bottom = _number(fields, numerator), _number(fields, denominator)
    return None if top is None or not bottom else top / bottom


SCORE_LEVELS = {
    "low": N_("average %(score)s (low)"),
    "medium": N_("average %(score)s (medium)"),
    "high": N_("average %(score)s (high)"),
}


def _external_scores(fields):
    known = [
        v
        for n in ("EXT_SOURCE_1", "EXT_SOURCE_2", "EXT_SOURCE_3")
        if (v := _number(fields, n)) is not None
    ]
    if not known:
        return Phrase(N_("none known"))
    mean = sum(known) / len(known)
    level = "low" if mean < 0.4 else "medium" if mean < 0.6 else "high"
    return Phrase(SCORE_LEVELS[level], (("score", "decimal2", mean),))


def _age(fields):
    days = _number(fields, "DAYS_BIRTH")
    if days is None:
        return None
    return Phrase(N_("%(years)s years"), (("years", "whole", years_from_days(days)),))


def _employment(fields):
    days = _number(fields, "DAYS_EMPLOYED")
    if days is None:
        return None
    if days == NOT_EMPLOYED_DAYS:
        return Phrase(N_("not in employment (pensioner or unemployed)"))
    years = employment_years(days)
    return Phrase(N_("%(years)s years in current job"), (("years", "decimal1", years),))


def _income(fields):
    income = _number(fields, "AMT_INCOME_TOTAL")
    return (
        None if income is None else Phrase(N_("%(amount)s a year"), (("amount", "amount", income),))
    )


def _credit_income(fields):
    ratio = _ratio(fields, "AMT_CREDIT", "AMT_INCOME_TOTAL")
    if ratio is None:
        return None
    return Phrase(
        N_("credit is %(ratio)s times the yearly income"), (("ratio", "decimal1", ratio),)
    )


def _annuity_burden(fields):
    ratio = _ratio(fields, "AMT_ANNUITY", "AMT_INCOME_TOTAL")
    if ratio is None:
        return None
    return Phrase(N_("repayments take %(share)s of the income"), (("share", "percent0", ratio),))


def _loan_term(fields):
    years = _ratio(fields, "AMT_CREDIT", "AMT_ANNUITY")
    if years is None:
        return None
    return Phrase(N_("about %(years)s years of repayments"), (("years", "decimal1", years),))


def _text(name):
    def describe(fields):
        value = fields.get(name)
        return (
            Phrase("%(value)s", (("value", "category", value),)) if isinstance(value, str) else None
        )

    return describe


CHILDREN = Nn_("%(num)s child", "%(num)s children")
ENQUIRIES = Nn_("%(num)s enquiry in the last year", "%(num)s enquiries in the last year")


def _household(fields):
    children = _number(fields, "CNT_CHILDREN")
    if children is None:
        return None
    # The API has always said "1 children"; the pages use the right plural.
    return Phrase("%(num)s children", (("num", "whole", children),), CHILDREN, "num")


def _bureau_enquiries(fields):
    count = _number(fields, "AMT_REQ_CREDIT_BUREAU_YEAR")
    if count is None:
        return None
    return Phrase(
        "%(num)s enquiries in the last year", (("num", "whole", count),), ENQUIRIES, "num"
    )


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


def _label(group: str) -> str:
    return GROUP_LABELS.get(group, group.replace("_", " ").capitalize())


def _phrase(group: str, fields: dict) -> Phrase | None:
    describe = DESCRIBE.get(group)
    return describe(fields) if describe else None


def _reason(group: str, contribution: float, fields: dict) -> dict:
    label = _label(group)
    phrase = _phrase(group, fields)
    client_value = phrase.english() if phrase else None
    direction = "raises" if contribution > 0 else "lowers"
    return {
        "group": group,
        "label": label,
        "direction": direction,
        "contribution": round(float(contribution), 6),
        "client_value": client_value,
        "text": f"{label}: {client_value}" if client_value else label,
    }


def page_text(reason: dict, fields: dict) -> str:
    """A reason as the page says it, in the page's language: 'Âge : 34 ans'."""
    label = translated(_label(reason["group"]))
    phrase = _phrase(reason["group"], fields)
    if phrase is None:
        return label
    return gettext("%(label)s: %(value)s", label=label, value=phrase.in_page_language())


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
