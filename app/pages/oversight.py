"""What the decision form, the decision history and the letter show: plain functions of rows,
in the page's language."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.i18n import translated
from app.models import Decision, Prediction
from app.services import decisions
from app.services.dashboard import distance_in_words
from app.services.formatting import percent, when
from training.domain import ACCEPTED

DECISION_LABELS = {"accepted": _l("Accepted"), "refused": _l("Refused")}


def reason_label(reason: str | None) -> str:
    """An override reason in the page's language ("" when the advisor followed the model)."""
    return translated(decisions.reason_label(reason))


def prediction_summary(prediction: Prediction) -> dict:
    """A logged scoring in the words of the decision block (pages/_decision.html)."""
    return {
        "decision": prediction.decision,
        "decision_label": str(DECISION_LABELS[prediction.decision]),
        "probability": percent(prediction.probability_of_default),
        "threshold": percent(prediction.threshold),
        "distance": distance_in_words(prediction.probability_of_default - prediction.threshold),
    }


def history_rows(history: list[tuple[Decision, Prediction]]) -> list[dict]:
    """One row per decision, newest first: who, when, on which model and score, what, why."""
    return [
        {
            "when": when(decision.created_at),
            "advisor": decision.advisor,
            "model_version": prediction.model_version,
            "probability": percent(prediction.probability_of_default),
            "model_decision": str(DECISION_LABELS[decision.model_decision]),
            "final_decision": str(DECISION_LABELS[decision.final_decision]),
            "overridden": _("Overridden") if decision.overridden else _("Followed"),
            "reason": reason_label(decision.reason),
            "comment": decision.comment or "",
        }
        for decision, prediction in history
    ]


def recorded_message(decision: Decision) -> str:
    """The confirmation after the form: what was recorded, and whether it overrides the model."""
    accepted = decision.final_decision == ACCEPTED
    if not decision.overridden:
        if accepted:
            return _("Decision recorded: accepted, following the model.")
        return _("Decision recorded: refused, following the model.")
    reason = reason_label(decision.reason)
    if accepted:
        return _(
            "Decision recorded: accepted, overriding the model's refusal (%(reason)s).",
            reason=reason,
        )
    return _(
        "Decision recorded: refused, overriding the model's acceptance (%(reason)s).",
        reason=reason,
    )
