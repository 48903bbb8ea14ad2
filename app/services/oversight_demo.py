"""The demo's decisions and outcomes (`flask outcomes demo`), so the performance page has numbers.

A simulation, said as such everywhere it shows: the held-out test clients of the model in service
(training.train.holdout_client_ids: the same population as the model's test AUC) are scored as
a batch; a demo advisor then decides on every batch scoring of a stored client that has no
decision yet, following the model except near the threshold, where a seeded share is
overridden with a reason; and the outcomes file is written from the synthetic data's TARGET of
the held-out clients. The outcomes are then loaded with `flask outcomes load`, like real ones.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import sqlalchemy as sa
from flask import current_app

from app.extensions import db
from app.models import Decision, Prediction, utcnow
from app.services import decisions, model_store
from app.services.clients import require_clients
from app.services.scoring import Application, score_and_log
from training.domain import ACCEPTED, REFUSED

ACTOR = "demo"
# Near the threshold advisors know more than the model (documents, an interview): the share of
# those decisions the demo advisor overrides, and how near is "near" (probability points).
NEAR_THRESHOLD = 0.05
ACCEPT_SHARE, REFUSE_SHARE = 0.3, 0.1
ACCEPT_REASONS = ("documents_verified", "income_proven_higher", "guarantor")


@dataclass
class DemoReport:
    scored: int
    decided: int
    overridden: int
    outcomes: int
    out_file: Path

    def __str__(self) -> str:
        return (
            f"Scored {self.scored} held-out training clients (the model's test split); recorded "
            f"{self.decided} demo decisions ({self.overridden} overridden); wrote "
            f"{self.outcomes} outcomes to {self.out_file}. Load them with "
            f"`flask outcomes load {self.out_file}`."
        )


def score_holdout(data_dir) -> tuple[np.ndarray, np.ndarray]:
    """Score and log the model's test clients as a batch; returns their ids and TARGET."""
    from training.train import holdout_client_ids  # training only: not in every web worker

    report = getattr(model_store.get_model().model, "report", None) or {}
    ids, targets = holdout_client_ids(
        data_dir, report.get("test_size", 0.2), report.get("random_state", 42)
    )
    size = int(current_app.config["MAX_BATCH_SIZE"])
    for start in range(0, len(ids), size):
        chunk = [int(i) for i in ids[start : start + size]]
        score_and_log([Application.of(c) for c in require_clients(chunk)], "batch", ACTOR)
    return ids, targets


def undecided_batch_scorings() -> list[Prediction]:
    """The latest batch scoring of each stored client that has no decision yet."""
    decided = sa.select(Decision.client_id).where(Decision.client_id.is_not(None))
    latest = (
        sa.select(sa.func.max(Prediction.id))
        .where(Prediction.source == "batch", Prediction.client_id.is_not(None))
        .where(Prediction.client_id.not_in(decided))
        .group_by(Prediction.client_id)
    )
    query = sa.select(Prediction).where(Prediction.id.in_(latest)).order_by(Prediction.id)
    return list(db.session.scalars(query))


def demo_choice(prediction: Prediction, rng: np.random.Generator) -> tuple:
    """(prediction, final decision, reason, comment) the demo advisor picks for one scoring."""
    distance = prediction.probability_of_default - prediction.threshold
    draw = rng.random()
    if prediction.decision == REFUSED and distance < NEAR_THRESHOLD and draw < ACCEPT_SHARE:
        reason = ACCEPT_REASONS[int(rng.integers(len(ACCEPT_REASONS)))]
        return prediction, ACCEPTED, reason, "Demo: simulated advisor's override."
    if prediction.decision == ACCEPTED and -distance < NEAR_THRESHOLD and draw < REFUSE_SHARE:
        return prediction, REFUSED, "fraud_suspicion", "Demo: simulated advisor's override."
    return prediction, prediction.decision, None, None


def write_outcomes(path, ids, targets) -> int:
    """The outcomes file (SK_ID_CURR, defaulted, observed_at=today) from the known TARGETs."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    today = utcnow().date().isoformat()
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["SK_ID_CURR", "defaulted", "observed_at"])
        writer.writerows([int(i), int(t), today] for i, t in zip(ids, targets, strict=True))
    return len(ids)


def fill_demo(data_dir, out_file, advisor: str = "advisor", seed: int = 42) -> DemoReport:
    """Score the held-out clients, decide on every undecided batch scoring, write the outcomes."""
    ids, targets = score_holdout(data_dir)
    rng = np.random.default_rng(seed)
    choices = [demo_choice(p, rng) for p in undecided_batch_scorings()]
    recorded = decisions.record_decisions(choices, advisor=advisor)
    overridden = sum(d.overridden for d in recorded)
    count = write_outcomes(out_file, ids, targets)
    return DemoReport(len(ids), len(recorded), overridden, count, Path(out_file))
