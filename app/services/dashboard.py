"""What the advisor pages read beyond scoring: recent scorings, new clients, wording."""

import sqlalchemy as sa
from flask_babel import gettext as _

from app.extensions import db
from app.models import Client, Prediction
from app.services.formatting import number

NEW_CLIENT_ID_START = 900_000_000  # far above Kaggle's ids, so a saved application never collides


def recent_scorings(limit: int = 10) -> list[Prediction]:
    """The latest logged predictions, newest first (all sources)."""
    statement = sa.select(Prediction).order_by(Prediction.id.desc()).limit(limit)
    return list(db.session.scalars(statement))


def save_new_client(application: dict) -> Client:
    """Store a new application as a client (not training data) under a fresh SK_ID_CURR."""
    highest = db.session.scalar(sa.select(sa.func.max(Client.sk_id_curr))) or 0
    client = Client(
        sk_id_curr=max(highest + 1, NEW_CLIENT_ID_START),
        application=dict(application),
        history={},
        is_training=False,
    )
    db.session.add(client)
    db.session.commit()
    return client


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
