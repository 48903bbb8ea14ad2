"""Drift runs: compare a current sample with the champion's reference and store the result.

Shared by the `flask drift run` command, the monitoring pages and GET /api/drift; the DRIFT_*
settings are in app/config.py.
"""

from __future__ import annotations

import time

from flask import current_app

from app.models import DriftRun, json_columns
from app.monitoring import reports
from app.monitoring.drift import compare
from app.monitoring.sources import CurrentSample, DriftInputError, monitored_columns


def run_drift(current: CurrentSample, loaded_model, top_n: int | None = None) -> DriftRun:
    """Compare `current` with the reference of `loaded_model` (model_store.LoadedModel); store it.

    Raises DriftInputError, before any report is made, when the current sample is too small.
    """
    config = current_app.config
    minimum = int(config["DRIFT_MIN_ROWS"])
    if len(current.frame) < minimum:
        raise DriftInputError(
            f"Only {len(current.frame)} rows in {current.detail}; at least {minimum} are needed "
            "for a meaningful drift report (DRIFT_MIN_ROWS). No report was made."
        )
    reference = getattr(loaded_model.model, "reference", None)
    if reference is None or len(reference) == 0:
        raise DriftInputError(
            f"Model {loaded_model.name} version {loaded_model.version} carries no reference "
            "sample of its training inputs; retrain it to monitor drift."
        )
    columns = monitored_columns(loaded_model.model, top_n or int(config["DRIFT_TOP_FEATURES"]))
    started = time.perf_counter()
    result = compare(
        reference,
        current.frame,
        columns,
        max_rows=int(config["DRIFT_MAX_ROWS"]),
        random_state=int(config["DRIFT_RANDOM_STATE"]),
        dataset_drift_share=float(config["DRIFT_DATASET_SHARE"]),
    )
    summary = result.summary()
    rank = {name: position for position, name in enumerate(columns, start=1)}
    for column in summary["columns"]:
        column["importance_rank"] = rank[column["column"]]
    run = DriftRun(
        source=current.source,
        source_detail=current.detail[:255],
        window_start=current.window_start,
        window_end=current.window_end,
        rows=len(current.frame),
        rows_compared=result.rows_current,
        rows_reference=result.rows_reference,
        column_count=len(result.columns),
        drifted_count=len(result.drifted_columns),
        drift_share=result.drift_share,
        dataset_drift=result.dataset_drift,
        columns=summary["columns"],
        skipped_columns=result.skipped_columns,
        prediction_drift=summary["prediction"],
        mean_probability=result.mean_probability_current,
        mean_probability_reference=result.mean_probability_reference,
        model_name=str(loaded_model.name)[:120],
        model_version=str(loaded_model.version)[:40],
    )
    return reports.save_run(run, result.html, started)


def latest_run() -> DriftRun | None:
    """The most recent run (without its report), or None."""
    return reports.latest_run(DriftRun)


def recent_runs(limit: int = 60) -> list[DriftRun]:
    """The last `limit` runs, oldest first (for history charts)."""
    return list(reversed(reports.recent_runs(DriftRun, limit)))


def report_html(run_id: int) -> bytes | None:
    """The gzipped Evidently report of one run, or None if there is no such run."""
    return reports.stored_report(DriftRun, run_id)


# The columns GET /api/drift gives as they are stored.
SUMMARY_COLUMNS = (
    "id", "created_at", "source", "source_detail", "rows", "rows_compared", "rows_reference",
    "column_count", "drift_share", "dataset_drift", "columns", "prediction_drift",
    "mean_probability", "mean_probability_reference", "model_name", "model_version",
)  # fmt: skip


def run_summary(run: DriftRun) -> dict:
    """The JSON shape of one run (GET /api/drift)."""
    drifted = [c["column"] for c in run.columns if c["drifted"]]
    return {**json_columns(run, SUMMARY_COLUMNS), "drifted_columns": drifted}
