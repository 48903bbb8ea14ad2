"""The decision letter: the final decision in plain words for the applicant (GDPR art. 22).

Built from the decision in force and the scoring it was made on: the logged input is explained
again by the model, so the reasons are the ones the advisor saw (when the model in service is the
one that scored it). Never a protected attribute (reasons.py leaves them out) and never age,
whether as a reason against or in favour: an applicant must not read that their age counted.
When the advisor overrode the model, the letter gives the advisor's reason in the applicant's
words instead of the model's.

The letter is in the page's language: its sentences are English message ids (marked `N_`, whole
sentences) said with Flask-Babel's `gettext` and numbers and dates by app/services/formatting,
as reasons.py says a reason on a page; nothing here reads the request.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext

from app.i18n import N_
from app.models import Decision, Prediction
from app.services import counterfactual, model_store
from app.services.formatting import amount, day
from app.services.scoring import Application, score_applications
from training.domain import ACCEPTED, REFUSED
from training.features import NEVER_A_REFUSAL_REASON

MAIN_REASONS = 3
NEVER_IN_A_LETTER = NEVER_A_REFUSAL_REASON  # age: not told as a reason either way

# What each business group means to an applicant, as a factor of the decision (whole sentences).
FACTORS = {
    "external_scores": N_("Your credit scores from external credit reference agencies."),
    "employment": N_("Your employment: the time in your current job and your type of income."),
    "income": N_("Your income, as given in the application."),
    "credit_income": N_("The amount you asked to borrow compared with your income."),
    "annuity_burden": N_("The share of your income the repayments would take."),
    "loan_term": N_("The length of the repayment period."),
    "goods_credit": N_("The amount borrowed compared with the price of what you are buying."),
    "bureau": N_("Your current loans with other lenders."),
    "bureau_late": N_("Late payments on loans with other lenders, reported by the credit bureau."),
    "bureau_enquiries": N_("The number of recent credit applications you made elsewhere."),
    "prev_refused": N_("Earlier applications with us that were refused."),
    "prev_apps": N_("Your earlier applications with us."),
    "late_installments": N_("Late payments on your earlier loans with us."),
    "underpayment": N_("Repayments on earlier loans with us that were lower than due."),
    "credit_card": N_("How you used your credit card with us."),
    "pos": N_("Your earlier point-of-sale loans with us."),
    "education": N_("Your education."),
    "occupation": N_("Your occupation and your employer's sector."),
    "housing": N_("Your housing situation and the assets you own."),
    "region": N_("The region where you live."),
    "household": N_("The size of your household."),
    "social_circle": N_("Payment difficulties reported in your social circle."),
    "contact_docs": N_("The contact details and documents given with the application."),
    "application": N_("Other details of the application."),
}

# The advisor's override reason, in the applicant's words (never "fraud").
OVERRIDE_SENTENCES = {
    "documents_verified": N_(
        "The documents you provided confirmed the information in your application."
    ),
    "income_proven_higher": N_("You showed that your income is higher than the figure first used."),
    "guarantor": N_("A guarantor supports your application."),
    "fraud_suspicion": N_("We could not confirm some of the information in your application."),
    "other": N_(
        "Your advisor reviewed your application in person and reached this decision; they can "
        "explain it to you."
    ),
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
    # a group without its own sentence (a new one) is told as "other details", once
    sentences = list(dict.fromkeys(gettext(FACTORS.get(g, FACTORS["application"])) for g in groups))
    sentences = sentences[:MAIN_REASONS]
    return sentences, score.model_version != prediction.model_version


def what_would_change(prediction: Prediction) -> list[str]:
    """For a refusal by the model: a smaller loan or longer term it would accept, in words."""
    model = model_store.get_model().model
    fields = dict(prediction.input or {})
    changes = []
    largest = counterfactual.largest_accepted_credit(model, fields)
    if largest is not None and largest.accepted:
        changes.append(
            gettext(
                "A smaller loan of %(credit)s instead of %(asked)s would probably be accepted.",
                credit=amount(largest.fields["AMT_CREDIT"]),
                asked=amount(fields["AMT_CREDIT"]),
            )
        )
    for change in counterfactual.small_changes(model, fields):
        if change.accepted:
            changes.append(
                gettext(
                    "A loan of %(credit)s repaid at %(annuity)s a year would probably be accepted.",
                    credit=amount(change.fields["AMT_CREDIT"]),
                    annuity=amount(change.fields["AMT_ANNUITY"]),
                )
            )
            break
    return changes


def _override_letter(decision: Decision, letter: Letter) -> Letter:
    letter.reviewed_by_advisor = True
    letter.reasons_heading = gettext("Why we decided this")
    letter.reasons = [gettext(OVERRIDE_SENTENCES.get(decision.reason, OVERRIDE_SENTENCES["other"]))]
    if decision.final_decision == REFUSED:
        letter.changes = [
            gettext(
                "If you can give us further documents that confirm your application, we will "
                "look at it again."
            )
        ]
    return letter


def letter_for(decision: Decision, prediction: Prediction) -> Letter:
    """The letter for the decision in force on a client."""
    letter = Letter(
        decision=decision.final_decision,
        decided_on=day(decision.created_at),
        model_version=prediction.model_version,
        reasons_heading="",
        reasons=[],
    )
    if decision.overridden:
        return _override_letter(decision, letter)
    letter.reasons, letter.model_changed = model_reasons(prediction, decision.final_decision)
    if decision.final_decision == ACCEPTED:
        letter.reasons_heading = gettext("What counted in your favour")
    else:
        letter.reasons_heading = gettext("The main reasons")
        letter.reasons_intro = gettext("These parts of your application weighed most against it:")
        letter.changes = what_would_change(prediction)
    return letter
