"""What the decision form, the decision history and the letter show: plain functions of rows."""

from app.models import Decision, Prediction, as_utc
from app.services.dashboard import distance_in_words
from app.services.decisions import reason_label
from app.services.formatting import percent
from training.domain import ACCEPTED

DECISION_LABELS = {"accepted": "Accepted", "refused": "Refused"}


def prediction_summary(prediction: Prediction) -> dict:
    """A logged scoring in the words of the decision block (pages/_decision.html)."""
    return {
        "decision": prediction.decision,
        "decision_label": DECISION_LABELS[prediction.decision],
        "probability": percent(prediction.probability_of_default),
        "threshold": percent(prediction.threshold),
        "distance": distance_in_words(prediction.probability_of_default - prediction.threshold),
    }


def history_rows(history: list[tuple[Decision, Prediction]]) -> list[dict]:
    """One row per decision, newest first: who, when, on which model and score, what, why."""
    return [
        {
            "when": as_utc(decision.created_at).strftime("%Y-%m-%d %H:%M"),
            "advisor": decision.advisor,
            "model_version": prediction.model_version,
            "probability": percent(prediction.probability_of_default),
            "model_decision": DECISION_LABELS[decision.model_decision],
            "final_decision": DECISION_LABELS[decision.final_decision],
            "overridden": "Overridden" if decision.overridden else "Followed",
            "reason": reason_label(decision.reason),
            "comment": decision.comment or "",
        }
        for decision, prediction in history
    ]


def recorded_message(decision: Decision) -> str:
    """The confirmation after the form: what was recorded, and whether it overrides the model."""
    final = "accepted" if decision.final_decision == ACCEPTED else "refused"
    if not decision.overridden:
        return f"Decision recorded: {final}, following the model."
    model = "acceptance" if decision.model_decision == ACCEPTED else "refusal"
    return (
        f"Decision recorded: {final}, overriding the model's {model} "
        f"({reason_label(decision.reason)})."
    )
