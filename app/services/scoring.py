"""Scoring: raw applications -> probability, decision, distance to threshold, reasons, warnings.

The one place where the app calls the model; the API and the pages both come through here, so a
score on a page and a score from the API can never disagree.
"""

import math
import time
from dataclasses import dataclass, field

import numpy as np

from app.errors import AppError
from app.models import Client
from app.services import model_store, prediction_log
from app.services.clients import application_fields
from app.services.reasons import reason_codes
from training.domain import decision


class ScoringFailedError(AppError):
    """The model gave no usable probability (not finite): no decision is made, nothing logged.

    The application rulebook bounds every input so that this cannot happen; if it does, it is a
    defect of the server, not of the request.
    """

    status = 500
    code = "scoring_failed"


def _checked(probabilities: np.ndarray) -> np.ndarray:
    bad = np.flatnonzero(~np.isfinite(probabilities))
    if len(bad):
        raise ScoringFailedError(
            f"The model returned no usable probability for application {int(bad[0])}; "
            "no decision was made and nothing was recorded.",
            {"applications": [int(i) for i in bad[:20]]},
        )
    return probabilities


@dataclass
class Application:
    """One application to score: raw columns (+ history columns for stored clients)."""

    fields: dict
    client_id: int | None = None
    warnings: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, client: Client) -> "Application":
        """A stored client's application, with its credit history."""
        return cls(fields=application_fields(client), client_id=client.sk_id_curr)


@dataclass
class Score:
    """The outcome for one application, as the API and the pages show it."""

    client_id: int | None
    probability_of_default: float
    decision: str
    threshold: float
    distance_to_threshold: float
    reasons: list[dict]
    warnings: list[str]
    model_name: str
    model_version: str
    logged_input: dict
    prediction_id: int | None = None

    def to_dict(self) -> dict:
        """JSON-ready form (the API's per-application answer)."""
        return {
            "prediction_id": self.prediction_id,
            "client_id": self.client_id,
            "probability_of_default": self.probability_of_default,
            "decision": self.decision,
            "threshold": self.threshold,
            "distance_to_threshold": self.distance_to_threshold,
            "reasons": self.reasons,
            "model": {"name": self.model_name, "version": self.model_version},
            "warnings": self.warnings,
        }


def _present(fields: dict) -> dict:
    """Fields with a value (None/NaN dropped): what is logged and what the model reads."""
    return {
        k: v
        for k, v in fields.items()
        if v is not None and not (isinstance(v, float) and math.isnan(v))
    }


def score_applications(applications: list[Application]) -> list[Score]:
    """Score several applications in one model call; order is kept. Raises ModelUnavailableError.

    One pass of the model (``CreditRiskModel.score``): features, contributions whose sum is the
    raw score, calibrated probability; the records are read as they are, without a DataFrame.
    """
    loaded = model_store.get_model()
    model = loaded.model
    inputs = [_present(a.fields) for a in applications]
    values, _, _, probabilities = model.score(inputs)
    probabilities = _checked(np.asarray(probabilities, dtype=float))
    groups = model.groups
    threshold = float(model.threshold)
    scores = []
    for row, (application, fields) in enumerate(zip(applications, inputs, strict=True)):
        probability = float(probabilities[row])
        scores.append(
            Score(
                client_id=application.client_id,
                probability_of_default=round(probability, 6),
                decision=decision(probability, threshold),
                threshold=round(threshold, 6),
                distance_to_threshold=round(probability - threshold, 6),
                reasons=reason_codes(dict(zip(groups, values[row], strict=True)), fields),
                warnings=list(application.warnings),
                model_name=loaded.name,
                model_version=loaded.version,
                logged_input=fields,
            )
        )
    return scores


def score_and_log(
    applications, source: str, actor: str | None = None, request_id: str | None = None
):
    """Score and write the prediction log (one transaction) before returning the scores.

    Raises ModelUnavailableError (no model) or prediction_log.LogUnavailableError (database down).
    """
    started = time.perf_counter()
    scores = score_applications(applications)
    latency_ms = (time.perf_counter() - started) * 1000
    return prediction_log.log_scores(scores, source, actor, request_id, round(latency_ms, 3))


def score_client(
    client: Client, source: str = "page", actor: str | None = None, request_id=None
) -> Score:
    """Score one stored client and log it (the pages' client view)."""
    return score_and_log([Application.of(client)], source, actor, request_id)[0]


def score_what_if(
    fields: dict, client_id: int | None, actor: str | None = None, request_id=None
) -> Score:
    """Score edited fields (the pages' what-if) and log it with source "whatif"."""
    application = Application(fields=fields, client_id=client_id)
    return score_and_log([application], "whatif", actor, request_id)[0]
