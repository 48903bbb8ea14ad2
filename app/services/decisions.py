"""Advisors' decisions: follow the model or override it with a reason; never edited.

The model recommends, the advisor decides. A decision names the scoring the advisor saw (a row of
the prediction log), so the history can always say which model version and probability it was
made on. A change of mind is a new row. The pages (a signed-in advisor) and the API (an API key,
whose name is the actor) record decisions through `record_decision`, with the same rules.
"""

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from app.errors import AppError, DatabaseUnavailableError, InvalidInputError
from app.extensions import db
from app.i18n import N_
from app.models import Decision, Prediction, json_columns
from training.domain import ACCEPTED, REFUSED

FINAL_DECISIONS = (ACCEPTED, REFUSED)
MAX_COMMENT = 1000


@dataclass(frozen=True)
class OverrideReason:
    """A reason an advisor may give for overriding, and the final decisions it can justify.

    `label` is an English message id: the pages say it in their language (app.i18n.translated).
    """

    label: str
    justifies: frozenset[str]


REASONS = {
    "documents_verified": OverrideReason(N_("Documents verified"), frozenset({ACCEPTED})),
    "income_proven_higher": OverrideReason(N_("Income proven higher"), frozenset({ACCEPTED})),
    "guarantor": OverrideReason(N_("Guarantor"), frozenset({ACCEPTED})),
    "fraud_suspicion": OverrideReason(N_("Fraud suspicion"), frozenset({REFUSED})),
    "other": OverrideReason(N_("Other (explain in the comment)"), frozenset({ACCEPTED, REFUSED})),
}


class PredictionNotFoundError(AppError, LookupError):
    """No scoring with this id in the prediction log (404)."""

    status = 404
    code = "prediction_not_found"

    def __init__(self, prediction_id):
        super().__init__(
            f"No prediction with id {prediction_id} in the prediction log.",
            {"prediction_id": prediction_id},
        )


class NoDecisionError(AppError, LookupError):
    """A client without any recorded decision (its letter cannot be written yet): 404."""

    status = 404
    code = "no_decision"

    def __init__(self, client_id: int):
        super().__init__(
            f"No decision has been recorded for client {client_id} yet.", {"client_id": client_id}
        )


def require_prediction(prediction_id: int) -> Prediction:
    """One logged scoring; raises PredictionNotFoundError."""
    prediction = db.session.get(Prediction, prediction_id)
    if prediction is None:
        raise PredictionNotFoundError(prediction_id)
    return prediction


def _blank_as_none(value):
    """Forms send "" for an empty field; the API may send null: both mean "none"."""
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _final_decision_errors(final_decision) -> list[InvalidInputError]:
    if final_decision in FINAL_DECISIONS:
        return []
    return [
        InvalidInputError(
            "final_decision",
            "must be 'accepted' or 'refused'",
            final_decision,
            form_text=N_("Choose the final decision."),
        )
    ]


def _reason_errors(reason, final_decision, model_decision: str) -> list[InvalidInputError]:
    if reason is not None and reason not in REASONS:
        rule = f"must be one of {', '.join(REASONS)} (or null when following the model)"
        form_text = N_("Choose a reason from the list.")
        return [InvalidInputError("reason", rule, reason, form_text=form_text)]
    if final_decision not in FINAL_DECISIONS:
        return []  # whether it is an override is not known yet
    overridden = final_decision != model_decision
    if overridden and reason is None:
        return [
            InvalidInputError(
                "reason",
                "is required to override the model's decision",
                reason,
                code="missing_reason",
                form_text=N_("Choose why you override the model's decision."),
            )
        ]
    if not overridden and reason is not None:
        return [
            InvalidInputError(
                "reason",
                "is only for an override; the final decision follows the model",
                reason,
                form_text=N_("Leave the reason empty when you follow the model."),
            )
        ]
    if reason is not None and final_decision not in REASONS[reason].justifies:
        allowed = " or ".join(sorted(REASONS[reason].justifies))
        return [
            InvalidInputError(
                "reason",
                f"{reason!r} can only justify a final decision {allowed}",
                reason,
                # the form fills in the reason's label, in the page's language
                form_text=N_("%(reason)s cannot justify this decision."),
            )
        ]
    return []


def _comment_errors(comment, reason) -> list[InvalidInputError]:
    if comment is not None and not isinstance(comment, str):
        return [InvalidInputError("comment", "must be text", comment, code="invalid_type")]
    if comment is not None and len(comment) > MAX_COMMENT:
        return [
            InvalidInputError(
                "comment",
                f"must be at most {MAX_COMMENT:,} characters (it has {len(comment):,})",
                None,
                # the form fills in both numbers in the page's format
                form_text=N_("Must be at most %(max)s characters (it has %(length)s)."),
            )
        ]
    if reason == "other" and comment is None:
        return [
            InvalidInputError(
                "comment",
                "is required when the reason is 'other'",
                comment,
                code="missing_comment",
                form_text=N_("Explain the reason in the comment."),
            )
        ]
    return []


def decision_errors(
    prediction: Prediction, final_decision, reason=None, comment=None
) -> list[InvalidInputError]:
    """Every rule the decision breaks (empty when it may be recorded), field by field."""
    reason, comment = _blank_as_none(reason), _blank_as_none(comment)
    errors = []
    if prediction.source == "whatif":
        errors.append(
            InvalidInputError(
                "prediction_id",
                "must be a scoring of the application itself, not of a what-if change",
                prediction.id,
                form_text=N_(
                    "Only a scoring of the application itself can be decided, not of a what-if "
                    "change."
                ),
            )
        )
    errors += _final_decision_errors(final_decision)
    if reason is not None and not isinstance(reason, str):
        errors.append(InvalidInputError("reason", "must be text", reason, code="invalid_type"))
    else:
        errors += _reason_errors(reason, final_decision, prediction.decision)
    return errors + _comment_errors(comment, reason)


def _checked_decision(prediction: Prediction, final_decision, reason, comment, advisor: str):
    """A new Decision row for `prediction`, or the first rule it breaks raised."""
    errors = decision_errors(prediction, final_decision, reason, comment)
    if errors:
        raise errors[0]
    comment = _blank_as_none(comment)
    return Decision(
        prediction_id=prediction.id,
        client_id=prediction.client_id,
        advisor=advisor[:80],
        model_decision=prediction.decision,
        final_decision=final_decision,
        overridden=final_decision != prediction.decision,
        reason=_blank_as_none(reason),
        comment=comment.strip() if comment else None,
    )


def _commit(decisions: list[Decision]) -> list[Decision]:
    try:
        db.session.add_all(decisions)
        db.session.commit()
    except SQLAlchemyError as error:
        db.session.rollback()
        raise DatabaseUnavailableError(
            "The database is unavailable; the decision was not recorded."
        ) from error
    return decisions


def record_decision(
    prediction_id: int, final_decision, reason=None, comment=None, *, advisor: str
) -> Decision:
    """Check and store one decision (one transaction); raises the first broken rule.

    PredictionNotFoundError (404), InvalidInputError (422) or DatabaseUnavailableError (503):
    nothing is written in any of these cases.
    """
    prediction = require_prediction(prediction_id)
    return _commit([_checked_decision(prediction, final_decision, reason, comment, advisor)])[0]


def record_decisions(choices: list[tuple], *, advisor: str) -> list[Decision]:
    """Several decisions in one transaction, each (prediction, final_decision, reason, comment).

    All or nothing: the first broken rule is raised before anything is written (a batch job).
    """
    rows = [_checked_decision(*choice, advisor) for choice in choices]
    return _commit(rows)


def _with_scorings(condition) -> list[tuple[Decision, Prediction]]:
    query = (
        sa.select(Decision, Prediction)
        .join(Prediction, Prediction.id == Decision.prediction_id)
        .where(condition)
        .order_by(Decision.id.desc())
    )
    return [tuple(row) for row in db.session.execute(query)]


def decision_history(client_id: int) -> list[tuple[Decision, Prediction]]:
    """Every decision on a client with the scoring it was made on, newest first."""
    return _with_scorings(Decision.client_id == client_id)


def decisions_on(prediction_id: int) -> list[tuple[Decision, Prediction]]:
    """The decisions made on one scoring (a new application may have no client), newest first."""
    return _with_scorings(Decision.prediction_id == prediction_id)


def latest_decision(client_id: int) -> tuple[Decision, Prediction]:
    """The decision in force for a client (the latest one); raises NoDecisionError."""
    history = decision_history(client_id)
    if not history:
        raise NoDecisionError(client_id)
    return history[0]


def reason_label(reason: str | None) -> str:
    """An override reason's label (English: the message id of the pages' translation)."""
    return REASONS[reason].label if reason in REASONS else ""


def decision_summary(decision: Decision, prediction: Prediction) -> dict:
    """A decision as JSON-ready data (the API's answer), with the scoring it was made on."""
    columns = (
        "id", "prediction_id", "client_id", "advisor", "model_decision", "final_decision",
        "overridden", "reason", "comment", "created_at",
    )  # fmt: skip
    return {
        **json_columns(decision, columns),
        "probability_of_default": prediction.probability_of_default,
        "threshold": prediction.threshold,
        "model": {"name": prediction.model_name, "version": prediction.model_version},
    }
