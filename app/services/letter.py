"""The decision letter: the final decision in plain words for the applicant (GDPR art. 22).

Built from the decision in force and the scoring it was made on: the logged input is explained
again by the model, so the reasons are the ones the advisor saw (when the model in service is the
one that scored it). Never a protected attribute (reasons.py leaves them out) and never age,
whether as a reason against or in favour: an applicant must not read that their age counted.
When the advisor overrode the model, the letter gives the advisor's reason in the applicant's
words instead of the model's.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.models import Decision, Prediction, as_utc
from app.services import counterfactual, model_store
from app.services.scoring import Application, score_applications
from training.domain import ACCEPTED, REFUSED
from training.features import NEVER_A_REFUSAL_REASON

MAIN_REASONS = 3
NEVER_IN_A_LETTER = NEVER_A_REFUSAL_REASON  # age: not told as a reason either way

# What each business group means to an applicant, as a factor of the decision.
FACTORS = {
    "external_scores": "your credit scores from external credit reference agencies",
    "employment": "your employment: the time in your current job and your type of income",
    "income": "your income, as given in the application",
    "credit_income": "the amount you asked to borrow compared with your income",
    "annuity_burden": "the share of your income the repayments would take",
    "loan_term": "the length of the repayment period",
    "goods_credit": "the amount borrowed compared with the price of what you are buying",
    "bureau": "your current loans with other lenders",
    "bureau_late": "late payments on loans with other lenders, reported by the credit bureau",
    "bureau_enquiries": "the number of recent credit applications you made elsewhere",
    "prev_refused": "earlier applications with us that were refused",
    "prev_apps": "your earlier applications with us",
    "late_installments": "late payments on your earlier loans with us",
    "underpayment": "repayments on earlier loans with us that were lower than due",
    "credit_card": "how you used your credit card with us",
    "pos": "your earlier point-of-sale loans with us",
    "education": "your education",
    "occupation": "your occupation and your employer's sector",
    "housing": "your housing situation and the assets you own",
    "region": "the region where you live",
    "household": "the size of your household",
    "social_circle": "payment difficulties reported in your social circle",
    "contact_docs": "the contact details and documents given with the application",
    "application": "other details of the application",
}

# The advisor's override reason, in the applicant's words (never "fraud").
OVERRIDE_SENTENCES = {
    "documents_verified": "The documents you provided confirmed the information in your "
    "application.",
    "income_proven_higher": "You showed that your income is higher than the figure first used.",
    "guarantor": "A guarantor supports your application.",
    "fraud_suspicion": "We could not confirm some of the information in your application.",
    "other": "Your advisor reviewed your application in person and reached this decision; "
    "they can explain it to you.",
}


@dataclass
class Letter:
    """What the letter template shows."""

    decision: str  # accepted / refused
    decided_on: str
    model_version: str
    reasons_heading: str
    reasons: list[str]
    reasons_intro: str = ""
    changes: list[str] = field(default_factory=list)
    reviewed_by_advisor: bool = False
    model_changed: bool = False


def _sentence(phrase: str) -> str:
    return phrase[0].upper() + phrase[1:] + "."


def model_reasons(prediction: Prediction, final_decision: str) -> tuple[list[str], bool]:
    """Up to MAIN_REASONS factors in the direction of the decision, from the logged input.

    Returns the sentences and whether the model in service differs from the one that scored.
    """
    application = Application(fields=dict(prediction.input or {}), client_id=prediction.client_id)
    score = score_applications([application])[0]
    wanted = "raises" if final_decision == REFUSED else "lowers"
    groups = [
        r["group"]
        for r in score.reasons
        if r["direction"] == wanted and r["group"] not in NEVER_IN_A_LETTER
    ]
    sentences = [_sentence(FACTORS.get(g, g.replace("_", " "))) for g in groups[:MAIN_REASONS]]
    return sentences, score.model_version != prediction.model_version


def what_would_change(prediction: Prediction) -> list[str]:
    """For a refusal by the model: a smaller loan or longer term it would accept, in words."""
    model = model_store.get_model().model
    fields = dict(prediction.input or {})
    changes = []
    largest = counterfactual.largest_accepted_credit(model, fields)
    if largest is not None and largest.accepted:
        changes.append(
            f"A smaller loan of {largest.fields['AMT_CREDIT']:,.0f} instead of "
            f"{fields['AMT_CREDIT']:,.0f} would probably be accepted."
        )
    for change in counterfactual.small_changes(model, fields):
        if change.accepted:
            changes.append(
                f"A loan of {change.fields['AMT_CREDIT']:,.0f} repaid at "
                f"{change.fields['AMT_ANNUITY']:,.0f} a year would probably be accepted."
            )
            break
    return changes


def _override_letter(decision: Decision, letter: Letter) -> Letter:
    letter.reviewed_by_advisor = True
    letter.reasons_heading = "Why we decided this"
    letter.reasons = [OVERRIDE_SENTENCES.get(decision.reason, OVERRIDE_SENTENCES["other"])]
    if decision.final_decision == REFUSED:
        letter.changes = [
            "If you can give us further documents that confirm your application, we will "
            "look at it again."
        ]
    return letter


def letter_for(decision: Decision, prediction: Prediction) -> Letter:
    """The letter for the decision in force on a client."""
    letter = Letter(
        decision=decision.final_decision,
        decided_on=as_utc(decision.created_at).strftime("%d %B %Y"),
        model_version=prediction.model_version,
        reasons_heading="",
        reasons=[],
    )
    if decision.overridden:
        return _override_letter(decision, letter)
    letter.reasons, letter.model_changed = model_reasons(prediction, decision.final_decision)
    if decision.final_decision == ACCEPTED:
        letter.reasons_heading = "What counted in your favour"
    else:
        letter.reasons_heading = "The main reasons"
        letter.reasons_intro = "These parts of your application weighed most against it:"
        letter.changes = what_would_change(prediction)
    return letter
