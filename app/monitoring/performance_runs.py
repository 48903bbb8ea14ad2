"""Performance runs: the decisions with a known outcome, measured (performance.py) and stored.

Shared by `flask performance run`, the /monitoring/performance page, GET /api/performance and the
alert banner. Which decisions: the latest decision per client (a change of mind replaces the
earlier one), made on a scoring by the model in service, within the window if one is given. The
PERFORMANCE_* settings are in app/config.py.
"""

from __future__ import annotations

import time
from datetime import datetime

import pandas as pd
import sqlalchemy as sa
from flask import current_app

from app.extensions import db
from app.models import Decision, Outcome, PerformanceRun, Prediction, json_columns, utcnow
from app.monitoring import reports
from app.monitoring.performance import evaluate
from app.monitoring.sources import parse_window


class PerformanceInputError(ValueError):
    """Nothing to measure (too few known outcomes, one outcome only, no model): no run made."""


def decided_applications(
    model_name: str, model_version: str, since: datetime | None = None
) -> pd.DataFrame:
    """One row per client: its latest decision on this model's scorings, and its outcome if known.

    Columns: client_id, decided_at, model_decision, final_decision, overridden,
    probability_of_default, threshold, defaulted (NaN when the outcome is not known).
    """
    scope = [
        Decision.client_id.is_not(None),
        Prediction.model_name == model_name,
        Prediction.model_version == model_version,
    ]
    if since is not None:
        scope.append(Decision.created_at >= since)
    latest = (
        sa.select(sa.func.max(Decision.id).label("id"))
        .join(Prediction, Prediction.id == Decision.prediction_id)
        .where(*scope)
        .group_by(Decision.client_id)
        .subquery()
    )
    query = (
        sa.select(
            Decision.client_id,
            Decision.created_at.label("decided_at"),
            Decision.model_decision,
            Decision.final_decision,
            Decision.overridden,
            Prediction.probability_of_default,
            Prediction.threshold,
            Outcome.defaulted,
        )
        .join(latest, latest.c.id == Decision.id)
        .join(Prediction, Prediction.id == Decision.prediction_id)
        .outerjoin(Outcome, Outcome.client_id == Decision.client_id)
        .order_by(Decision.id)
    )
    columns = [c.name for c in query.selected_columns]
    return pd.DataFrame(db.session.execute(query).all(), columns=columns)


def _labelled(decided: pd.DataFrame, minimum: int, where: str) -> pd.DataFrame:
    labelled = decided[decided["defaulted"].notna()]
    if len(labelled) < minimum:
        raise PerformanceInputError(
            f"Only {len(labelled)} of {len(decided)} decisions {where} have a known outcome; at "
            f"least {minimum} are needed (PERFORMANCE_MIN_LABELLED). Load outcomes with "
            "`flask outcomes load FILE`. No run was made."
        )
    if labelled["defaulted"].nunique() < 2:
        only = "defaulted" if bool(labelled["defaulted"].iloc[0]) else "repaid"
        raise PerformanceInputError(
            f"All {len(labelled)} known outcomes {where} are '{only}': the AUC needs both. "
            "No run was made."
        )
    return labelled


def run_performance(loaded_model, window: str | None = None, now=None) -> PerformanceRun:
    """Measure the decisions on `loaded_model`'s scorings against their outcomes; store the run.

    `loaded_model` is a model_store.LoadedModel; `window` ("90d") keeps the decisions made in
    that span before `now`. Raises PerformanceInputError, before any report is made, when there
    is not enough to measure.
    """
    now = now or utcnow()
    try:
        since = now - parse_window(window) if window else None
    except ValueError as error:  # the drift commands' window syntax, and its message
        raise PerformanceInputError(str(error)) from None
    where = f"on model {loaded_model.name} version {loaded_model.version}" + (
        f" in the last {window}" if window else ""
    )
    decided = decided_applications(loaded_model.name, loaded_model.version, since)
    labelled = _labelled(decided, int(current_app.config["PERFORMANCE_MIN_LABELLED"]), where)
    threshold = float(loaded_model.model.threshold)
    started = time.perf_counter()
    result = evaluate(labelled, threshold)
    run = PerformanceRun(
        window=window,
        window_start=since,
        window_end=now,
        model_name=str(loaded_model.name)[:120],
        model_version=str(loaded_model.version)[:40],
        threshold=threshold,
        test_auc=(getattr(loaded_model.model, "metrics", None) or {}).get("auc"),
        n_decisions=len(decided),
        n_labelled=result.n_labelled,
        auc=result.auc,
        evidently_auc=result.evidently_auc,
        business_cost=result.business_cost,
        business_cost_final=result.business_cost_final,
        default_rate_accepted=result.default_rate_accepted,
        override_rate=result.override_rate,
        overrides=result.overrides,
        followed=result.followed,
        calibration=result.calibration,
        by_month=result.by_month,
    )
    return reports.save_run(run, result.html, started)


def latest_run() -> PerformanceRun | None:
    """The most recent run (without its report), or None."""
    return reports.latest_run(PerformanceRun)


def recent_runs(limit: int = 24) -> list[PerformanceRun]:
    """The last `limit` runs, newest first."""
    return reports.recent_runs(PerformanceRun, limit)


def report_html(run_id: int) -> bytes | None:
    """The gzipped Evidently report of one run, or None if there is no such run."""
    return reports.stored_report(PerformanceRun, run_id)


def auc_drop(run: PerformanceRun) -> float | None:
    """How far the realised AUC is below the model's test AUC (negative: above it)."""
    return None if run.test_auc is None else run.test_auc - run.auc


def below_test_auc(run: PerformanceRun | None, margin: float) -> bool:
    """The alert rule: the realised AUC fell below the test AUC by more than `margin`."""
    drop = auc_drop(run) if run is not None else None
    return drop is not None and drop > margin


# The columns GET /api/performance gives as they are stored.
SUMMARY_COLUMNS = (
    "id", "created_at", "model_name", "model_version", "window", "window_start", "window_end",
    "threshold", "n_decisions", "n_labelled", "auc", "test_auc", "business_cost",
    "business_cost_final", "default_rate_accepted", "override_rate", "overrides", "followed",
    "calibration", "by_month",
)  # fmt: skip


def run_summary(run: PerformanceRun, margin: float) -> dict:
    """The JSON shape of one run (GET /api/performance)."""
    return {
        **json_columns(run, SUMMARY_COLUMNS),
        "auc_drop": auc_drop(run),
        "alert": below_test_auc(run, margin),
        "alert_margin": margin,
    }
