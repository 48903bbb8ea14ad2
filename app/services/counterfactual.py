"""What would change the decision: searches over actionable loan terms only.

Only the loan's own terms move (credit amount, annuity, goods price); age, gender, family and
every other fact about the person stay as they are. Each search is a handful of batched model
calls, well under a second.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd
from flask_babel import gettext as _

from app.i18n import N_, translated
from app.services.formatting import amount, percent
from training.domain import is_refused

ACTIONABLE = ("AMT_CREDIT", "AMT_ANNUITY", "AMT_GOODS_PRICE")
GRID_POINTS = 40
REFINE_POINTS = 25
ROUND_TO = 1_000
# (annuity factor, credit factor, how to say it): longer terms and slightly smaller loans.
SMALL_CHANGES = [
    (0.85, 1.0, N_("spread the repayments over a longer term")),
    (0.70, 1.0, N_("spread the repayments over a much longer term")),
    (0.90, 0.90, N_("borrow 10 percent less")),
    (0.80, 0.80, N_("borrow 20 percent less")),
    (0.72, 0.90, N_("borrow 10 percent less over a longer term")),
]


@dataclass
class Change:
    """One alternative the advisor can propose, with its outcome."""

    sentence: str
    fields: dict
    probability_of_default: float
    accepted: bool


def _variants(fields: dict, credit_factors, annuity_factors) -> pd.DataFrame:
    """One row per (credit factor, annuity factor); goods price follows the credit amount."""
    rows = []
    for credit_factor, annuity_factor in zip(credit_factors, annuity_factors, strict=True):
        row = dict(fields)
        for column, factor in (("AMT_CREDIT", credit_factor), ("AMT_GOODS_PRICE", credit_factor),
                               ("AMT_ANNUITY", annuity_factor)):  # fmt: skip
            if row.get(column) is not None:
                row[column] = float(row[column]) * factor
        rows.append(row)
    return pd.DataFrame.from_records(rows)


def _probabilities(model, fields: dict, credit_factors, annuity_factors=None) -> np.ndarray:
    annuity_factors = credit_factors if annuity_factors is None else annuity_factors
    frame = _variants(fields, list(credit_factors), list(annuity_factors))
    return np.asarray(model.predict_proba(frame), dtype=float)


def largest_accepted_credit(model, fields: dict) -> Change | None:
    """The largest credit amount (annuity and goods price scaled with it) that is accepted.

    A grid over 2%..100% of the requested amount, then a finer grid between the largest accepted
    point and the next refused one (the model need not be monotone, so plain bisection could
    stop on the wrong side of a bump). None when nothing on the grid is accepted.
    """
    credit = fields.get("AMT_CREDIT")
    if not credit:
        return None
    threshold = float(model.threshold)
    grid = np.linspace(0.02, 1.0, GRID_POINTS)
    accepted = ~is_refused(_probabilities(model, fields, grid), threshold)
    if not accepted.any():
        return None
    best = int(np.flatnonzero(accepted)[-1])
    upper = grid[best + 1] if best + 1 < len(grid) else grid[best]
    fine = np.linspace(grid[best], upper, REFINE_POINTS)
    amounts = np.floor(credit * fine / ROUND_TO) * ROUND_TO
    fine = np.where(amounts > 0, amounts / credit, fine)
    probabilities = _probabilities(model, fields, fine)
    ok = np.flatnonzero(~is_refused(probabilities, threshold))
    index = int(ok[-1]) if len(ok) else 0
    factor = float(fine[index])
    new_fields = _variants(fields, [factor], [factor]).iloc[0].to_dict()
    sentence = _credit_sentence(fields, new_fields)
    return Change(sentence, _actionable(new_fields), float(probabilities[index]), bool(len(ok)))


def _credit_sentence(old: dict, new: dict) -> str:
    credit = {"new_credit": amount(new["AMT_CREDIT"]), "old_credit": amount(old["AMT_CREDIT"])}
    if not old.get("AMT_ANNUITY"):
        return _(
            "A credit of %(new_credit)s instead of %(old_credit)s would be accepted.", **credit
        )
    return _(
        "A credit of %(new_credit)s instead of %(old_credit)s, with an annuity of "
        "%(new_annuity)s instead of %(old_annuity)s, would be accepted.",
        new_annuity=amount(new["AMT_ANNUITY"]),
        old_annuity=amount(old["AMT_ANNUITY"]),
        **credit,
    )


def _change_sentence(how: str, new: dict, probability: float, accepted: bool) -> str:
    values = {
        "how": translated(how),
        "credit": amount(new["AMT_CREDIT"]),
        "annuity": amount(new["AMT_ANNUITY"]),
        "probability": percent(probability),
    }
    if accepted:
        return _(
            "If the client chose to %(how)s (credit %(credit)s, annuity %(annuity)s), the "
            "probability of default would be %(probability)s and the application would be "
            "accepted.",
            **values,
        )
    return _(
        "If the client chose to %(how)s (credit %(credit)s, annuity %(annuity)s), the "
        "probability of default would be %(probability)s and the application would still be "
        "refused.",
        **values,
    )


def _actionable(fields: dict) -> dict:
    return {k: round(float(fields[k]), 2) for k in ACTIONABLE if fields.get(k) is not None}


def small_changes(model, fields: dict) -> list[Change]:
    """The predefined small changes to the loan terms, each scored (one batched call)."""
    if not fields.get("AMT_CREDIT") or not fields.get("AMT_ANNUITY"):
        return []
    threshold = float(model.threshold)
    annuity_factors = [a for a, _, _ in SMALL_CHANGES]
    credit_factors = [c for _, c, _ in SMALL_CHANGES]
    probabilities = _probabilities(model, fields, credit_factors, annuity_factors)
    changes = []
    for (annuity_f, credit_f, how), probability in zip(SMALL_CHANGES, probabilities, strict=True):
        new = _variants(fields, [credit_f], [annuity_f]).iloc[0].to_dict()
        accepted = not is_refused(probability, threshold)
        sentence = _change_sentence(how, new, probability, accepted)
        changes.append(Change(sentence, _actionable(new), float(probability), accepted))
    return changes


def what_would_change(model, fields: dict) -> dict:
    """Everything the page shows: the largest accepted credit and the small changes."""
    return {
        "largest_credit": largest_accepted_credit(model, fields),
        "small_changes": small_changes(model, fields),
        "threshold": float(model.threshold),
    }
