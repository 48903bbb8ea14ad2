"""Drift runs as `flask drift run` stores them, for the monitoring page and API tests."""

import gzip
from datetime import UTC, datetime, timedelta

from app.models import DriftRun

REPORT_HTML = "<!DOCTYPE html><html><head><title>r</title></head><body>Evidently</body></html>"


def column(name, score, drifted, rank, test="Wasserstein distance (normed)", threshold=0.1):
    return {
        "column": name,
        "stat_test": test,
        "score": score,
        "threshold": threshold,
        "drifted": drifted,
        "strength": score / threshold,
        "importance_rank": rank,
    }


def store_run(app, columns, days_ago=0, mean=0.12):
    """A stored run as `flask drift run` leaves it (columns strongest drift first)."""
    from app.extensions import db

    drifted = sum(c["drifted"] for c in columns)
    run = DriftRun(
        created_at=datetime(2026, 11, 20, 9, 30, tzinfo=UTC) - timedelta(days=days_ago),
        source="file",
        source_detail="application_test.csv",
        rows=4_000,
        rows_compared=4_000,
        rows_reference=5_000,
        column_count=len(columns),
        drifted_count=drifted,
        drift_share=drifted / len(columns),
        dataset_drift=drifted / len(columns) >= 0.5,
        columns=columns,
        skipped_columns={},
        prediction_drift=None,
        mean_probability=mean,
        mean_probability_reference=0.1,
        model_name="lightgbm",
        model_version="7",
        duration_s=3.0,
        report_html_gz=gzip.compress(REPORT_HTML.encode()),
    )
    with app.app_context():
        db.session.add(run)
        db.session.commit()


CALM = [column("AMT_CREDIT", 0.02, False, 1), column("EXT_SOURCE_3", 0.01, False, 2)]
SHIFTED = [
    column("EXT_SOURCE_3", 0.42, True, 2),
    column("DAYS_BIRTH", 0.21, True, 9),
    column("AMT_CREDIT", 0.05, False, 1),
    column("FLAG_OWN_CAR", 0.01, False, 3),
]
