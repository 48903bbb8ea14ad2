"""Where drift samples come from: the champion's reference, a batch file, the prediction log.

From the log, only real scorings of applicants count (prediction_log.REAL_SOURCES: API, batch,
new applications), and only the latest one per client: page re-views and what-ifs never reach a
drift run, and a client scored a hundred times weighs as much as one scored once.
Plain functions shared by the CLI and the tests; they never touch `request`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from app.extensions import db
from app.models import Prediction, utcnow
from app.monitoring.drift import PREDICTION_COLUMN
from app.services.clients import application_fields, get_clients
from app.services.prediction_log import REAL_SOURCES
from training.schema import HISTORY_TABLES

NOT_COMPARED = {"SK_ID_CURR", "TARGET", PREDICTION_COLUMN}
IMPORTANCE_KEYS = ("mean_abs_contribution", "importance", "value")
_WINDOW = re.compile(r"^(\d+)([mhdw])$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


class DriftInputError(ValueError):
    """A drift run cannot start; the message says which input and why."""


@dataclass
class CurrentSample:
    """The current side of a comparison and how to describe it."""

    frame: pd.DataFrame
    source: str  # file, window, last
    detail: str
    window_start: datetime | None = None
    window_end: datetime | None = None


def window_length(text: str) -> tuple[int, str]:
    """'7d' -> (7, "days"), also 'm', 'h' and 'w'; anything else is a DriftInputError."""
    match = _WINDOW.match(text.strip())
    if not match or int(match.group(1)) == 0:
        raise DriftInputError(
            f"--window {text!r}: expected a positive number followed by m, h, d or w (e.g. 7d)"
        )
    return int(match.group(1)), _UNITS[match.group(2)]


def parse_window(text: str) -> timedelta:
    """'7d', '24h', '30m', '2w' -> timedelta; anything else is a DriftInputError."""
    count, unit = window_length(text)
    return timedelta(**{unit: count})


def monitored_columns(model, top_n: int) -> list[str]:
    """The `top_n` raw input columns that matter most to the model, most important first.

    Raw columns (not the model matrix) are compared: advisors know them by name, and every
    engineered feature is a fixed function of them. Importance comes from the model's report,
    per feature where it has one, else per business group.
    """
    from training.features import PROTECTED_COLUMNS

    reference = model.reference
    inputs = getattr(model, "input_columns", None) or list(reference.columns)
    candidates = [
        c
        for c in inputs
        if c in reference.columns and c not in NOT_COMPARED and c not in PROTECTED_COLUMNS
    ]
    importance = column_importance(getattr(model, "report", {}) or {}, candidates)
    position = {c: i for i, c in enumerate(candidates)}
    ranked = sorted(candidates, key=lambda c: (-importance.get(c, 0.0), position[c]))
    return ranked[:top_n]


def column_importance(report: dict, columns: list[str]) -> dict[str, float]:
    """Importance of each raw column: its own if the report has it, else a share of its group's.

    A group's importance is split evenly between its columns, so a group of 40 housing columns
    does not crowd out the three external scores.
    """
    per_feature = _as_mapping(report.get("feature_importance"), "feature")
    per_group = _as_mapping(report.get("global_importance"), "group")
    groups = {column: _group(column) for column in columns}
    sizes = Counter(groups.values())
    importance = {}
    for column in columns:
        if column in per_feature:
            importance[column] = per_feature[column]
        elif per_group:
            importance[column] = per_group.get(groups[column], 0.0) / sizes[groups[column]]
    return importance


def _group(column: str) -> str | None:
    from training.feature_groups import group_for_column

    try:
        return group_for_column(column)
    except ValueError:
        return None


def _as_mapping(values, key: str) -> dict[str, float]:
    """{name: importance} from a dict, or from records like [{"group": g, "mean_abs_...": v}]."""
    if isinstance(values, dict):
        return {str(k): _number(v) for k, v in values.items()}
    if isinstance(values, list):
        return {str(r[key]): _first_number(r) for r in values if isinstance(r, dict) and key in r}
    return {}


def _first_number(record: dict) -> float:
    for name in IMPORTANCE_KEYS:
        if name in record:
            return _number(record[name])
    return 0.0


def _number(value) -> float:
    return abs(float(value)) if isinstance(value, int | float) else 0.0


def from_file(path, model) -> CurrentSample:
    """A batch of applications from an application_*.csv, scored by `model`.

    History columns are rebuilt from the history tables found beside the file (as training
    does), so that the two sides are computed the same way; without them they stay missing.
    """
    from training.dataset import DataError, load_applications

    path = Path(path)
    try:
        frame = load_applications(path)
        history = _history_beside(path)
    except DataError as error:
        raise DriftInputError(str(error)) from None
    if history is not None:
        frame = frame.join(history, on="SK_ID_CURR")
    if len(frame):
        frame[PREDICTION_COLUMN] = model.predict_proba(frame)
    return CurrentSample(frame=frame, source="file", detail=path.name)


def _history_beside(path: Path) -> pd.DataFrame | None:
    from training.dataset import read_table
    from training.features import history_aggregates

    tables = {
        name: read_table(path.parent / f"{name}.csv", name)
        for name in HISTORY_TABLES
        if (path.parent / f"{name}.csv").is_file()
    }
    return history_aggregates(tables) if tables else None


def real_scorings(*conditions) -> sa.Select:
    """Real scorings meeting `conditions`, the latest per client (each one without a client)."""
    counted = [Prediction.source.in_(REAL_SOURCES), *conditions]
    latest_per_client = (
        sa.select(sa.func.max(Prediction.id))
        .where(*counted, Prediction.client_id.is_not(None))
        .group_by(Prediction.client_id)
    )
    return sa.select(Prediction).where(
        *counted, sa.or_(Prediction.client_id.is_(None), Prediction.id.in_(latest_per_client))
    )


def from_window(window: timedelta, now: datetime | None = None) -> CurrentSample:
    """Inputs of the real scorings logged in the last `window` (latest per client)."""
    end = now or utcnow()
    start = end - window
    query = real_scorings(Prediction.created_at >= start, Prediction.created_at <= end)
    frame = _logged_inputs(db.session.scalars(query.order_by(Prediction.id)).all())
    days = window / timedelta(days=1)
    detail = f"last {days:g} days" if days >= 1 else f"last {window}"
    return CurrentSample(frame, "window", detail, window_start=start, window_end=end)


def from_last(count: int) -> CurrentSample:
    """Inputs of the last `count` real scorings (latest per client)."""
    if count <= 0:
        raise DriftInputError(f"--last {count}: expected a positive number of predictions")
    query = real_scorings().order_by(Prediction.id.desc()).limit(count)
    predictions = list(reversed(db.session.scalars(query).all()))
    frame = _logged_inputs(predictions)
    start = predictions[0].created_at if predictions else None
    end = predictions[-1].created_at if predictions else None
    return CurrentSample(frame, "last", f"last {count} predictions", start, end)


def _logged_inputs(predictions: list[Prediction]) -> pd.DataFrame:
    """One row per logged prediction: the client store's record overlaid with the logged input.

    A prediction for a known client may log only its id; the stored application and history
    fill in the rest, as scoring did.
    """
    clients = get_clients([p.client_id for p in predictions if p.client_id is not None])
    rows = []
    for prediction in predictions:
        client = clients.get(prediction.client_id)
        row = application_fields(client) if client else {}
        row.update(prediction.input or {})
        row[PREDICTION_COLUMN] = prediction.probability_of_default
        rows.append(row)
    return pd.DataFrame(rows)
