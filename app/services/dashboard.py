"""What the advisor pages read beyond scoring: recent scorings, new clients, wording."""

import time

import sqlalchemy as sa
from flask_babel import gettext as _

from app.extensions import db
from app.models import Client, NewClientId, Prediction, utcnow
from app.services import prediction_log, scoring
from app.services.formatting import number

NEW_CLIENT_ID_START = 900_000_000  # far above Kaggle's ids, so a saved application never collides


def recent_scorings(limit: int = 10) -> list[Prediction]:
    """The latest logged predictions, newest first (all sources)."""
    statement = sa.select(Prediction).order_by(Prediction.id.desc()).limit(limit)
    return list(db.session.scalars(statement))


def new_client_id() -> int:
    """A fresh SK_ID_CURR drawn by the database (unique under concurrent saves); not committed."""
    drawn = db.session.scalar(
        sa.insert(NewClientId).values(created_at=utcnow()).returning(NewClientId.id)
    )
    return NEW_CLIENT_ID_START + drawn - 1


def _new_client(application: dict) -> Client:
    client = Client(
        sk_id_curr=new_client_id(),
        application=dict(application),
        history={},
        is_training=False,
    )
    db.session.add(client)
    return client


def save_new_client(application: dict) -> Client:
    """Store a new application as a client (not training data) under a fresh SK_ID_CURR."""
    client = _new_client(application)
    db.session.commit()
    return client


def save_and_score(application: dict, actor: str | None, request_id: str | None):
    """Save a new application as a client and log its score in ONE transaction.

    Scores first (no database work), then draws the id, adds the client and writes the log row
    together: either both are kept or, if the log cannot be written, neither is.
    Returns (client, score).
    """
    started = time.perf_counter()
    score = scoring.score_applications([scoring.Application(fields=application)])[0]
    try:
        client = _new_client(application)
        score.client_id = client.sk_id_curr
        latency_ms = round((time.perf_counter() - started) * 1000, 3)
        prediction_log.log_scores([score], "application", actor, request_id, latency_ms)
    except Exception:
        db.session.rollback()
        raise
    return client, score


def distance_in_words(distance: float) -> str:
    """'7.0 points below the refusal threshold' (points = percentage points)."""
    points = abs(100 * distance)
    if points < 0.05:
        return _("exactly at the refusal threshold")
    if distance < 0:
        return _("%(points)s points below the refusal threshold", points=number(points, 1))
    return _("%(points)s points above the refusal threshold", points=number(points, 1))


def interpretation(probability: float, threshold: float, decision: str) -> str:
    """A few sentences an advisor can read aloud to the client."""
    odds = _(
        "Out of 100 clients with a profile like this one, about %(count)s would be expected "
        "to have difficulty repaying.",
        count=round(100 * probability),
    )
    limit = _(
        "The bank refuses applications when this figure reaches %(limit)s in 100.",
        limit=number(100 * threshold, 1),
    )
    if decision == "accepted":
        verdict = _("This application is below that limit, so it is accepted.")
    else:
        verdict = _(
            "This application is at or above that limit, so it is refused; the page below shows "
            "what drives the estimate and what could change it."
        )
    return f"{odds} {limit} {verdict}"
