"""Data drift between two samples of model inputs, measured with Evidently.

Pure functions of DataFrames: no Flask, no database. The service layer (runs.py) decides what the
reference and the current samples are; this module only compares them.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import asdict, dataclass, field

import pandas as pd

PREDICTION_COLUMN = "probability_of_default"
# Evidently's own default: a dataset drifts when half of its columns do.
DEFAULT_DATASET_DRIFT_SHARE = 0.5
DEFAULT_MAX_ROWS = 20_000


@dataclass(frozen=True)
class ColumnDrift:
    """Drift of one column: the statistic Evidently chose, its value and its limit."""

    column: str
    stat_test: str
    score: float
    threshold: float
    drifted: bool

    @property
    def strength(self) -> float:
        """How far past the drift limit the column is; 1.0 is exactly on the limit.

        p-value tests drift when the score is small, distance tests when it is large; this puts
        both on one scale so columns can be sorted whatever test Evidently picked for them.
        """
        if "p_value" in self.stat_test:
            tiny = 1e-300  # a p-value of exactly 0 means "as drifted as it gets"
            return math.log10(max(self.score, tiny)) / math.log10(self.threshold)
        return self.score / self.threshold if self.threshold else 0.0


@dataclass
class DriftResult:
    """What one comparison found: the summary that is stored and the Evidently HTML report."""

    rows_current: int
    rows_reference: int
    columns: list[ColumnDrift]
    dataset_drift_share: float
    prediction: ColumnDrift | None = None
    mean_probability_current: float | None = None
    mean_probability_reference: float | None = None
    skipped_columns: dict[str, str] = field(default_factory=dict)
    html: str = field(default="", repr=False)

    @property
    def drifted_columns(self) -> list[str]:
        """Names of the drifted columns, the strongest drift first."""
        return [c.column for c in self.ranked_columns() if c.drifted]

    @property
    def drift_share(self) -> float:
        return len(self.drifted_columns) / len(self.columns) if self.columns else 0.0

    @property
    def dataset_drift(self) -> bool:
        return bool(self.columns) and self.drift_share >= self.dataset_drift_share

    def ranked_columns(self) -> list[ColumnDrift]:
        """Columns sorted by drift strength, the strongest first."""
        return sorted(self.columns, key=lambda c: (c.drifted, c.strength), reverse=True)

    def summary(self) -> dict:
        """A JSON-ready summary (everything except the HTML report)."""
        return {
            "rows_current": self.rows_current,
            "rows_reference": self.rows_reference,
            "drift_share": self.drift_share,
            "dataset_drift": self.dataset_drift,
            "dataset_drift_share": self.dataset_drift_share,
            "drifted_columns": self.drifted_columns,
            "columns": [asdict(c) | {"strength": c.strength} for c in self.ranked_columns()],
            "prediction": asdict(self.prediction) if self.prediction else None,
            "mean_probability_current": self.mean_probability_current,
            "mean_probability_reference": self.mean_probability_reference,
            "skipped_columns": self.skipped_columns,
        }


def compare(
    reference: pd.DataFrame,
    current: pd.DataFrame,
    columns: list[str],
    *,
    max_rows: int = DEFAULT_MAX_ROWS,
    random_state: int = 42,
    dataset_drift_share: float = DEFAULT_DATASET_DRIFT_SHARE,
) -> DriftResult:
    """Compare `columns` of `current` against `reference` (both capped at `max_rows`, seeded).

    The predicted probability (PREDICTION_COLUMN), when both sides carry it, is compared too but
    kept apart: it is the model's output, not one of its inputs.
    """
    reference = _sample(reference, max_rows, random_state)
    current = _sample(current, max_rows, random_state)
    compared, skipped = _comparable_columns(reference, current, columns)
    with_prediction = PREDICTION_COLUMN in reference and PREDICTION_COLUMN in current
    wanted = compared + ([PREDICTION_COLUMN] if with_prediction else [])
    reference_part, current_part = _aligned(reference[wanted], current[wanted])
    snapshot = _run_report(reference_part, current_part, compared, with_prediction)
    drifts = _column_drifts(snapshot.dict())
    return DriftResult(
        rows_current=len(current),
        rows_reference=len(reference),
        columns=[drifts[name] for name in compared],
        dataset_drift_share=dataset_drift_share,
        prediction=drifts.get(PREDICTION_COLUMN) if with_prediction else None,
        mean_probability_current=_mean(current, PREDICTION_COLUMN),
        mean_probability_reference=_mean(reference, PREDICTION_COLUMN),
        skipped_columns=skipped,
        html=snapshot.get_html_str(as_iframe=False),
    )


def _sample(frame: pd.DataFrame, max_rows: int, random_state: int) -> pd.DataFrame:
    if len(frame) <= max_rows:
        return frame
    return frame.sample(n=max_rows, random_state=random_state)


def _comparable_columns(reference, current, columns) -> tuple[list[str], dict[str, str]]:
    """Columns both sides can be compared on, and why the others cannot."""
    compared, skipped = [], {}
    for name in dict.fromkeys(columns):  # keeps order, drops repeats
        if name == PREDICTION_COLUMN:
            continue
        if name not in reference or reference[name].isna().all():
            skipped[name] = "no values in the reference sample"
        elif name not in current or current[name].isna().all():
            skipped[name] = "no values in the current sample"
        else:
            compared.append(name)
    return compared, skipped


def _aligned(reference: pd.DataFrame, current: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Give each current column its reference column's kind (numbers or text).

    Logged inputs come back from JSON, where a number may be a string or a None; the comparison
    must not call that drift.
    """
    reference, current = reference.copy(), current.copy()
    for name in reference.columns:
        if pd.api.types.is_bool_dtype(reference[name]):
            reference[name] = reference[name].astype(float)
        if pd.api.types.is_numeric_dtype(reference[name]):
            current[name] = pd.to_numeric(current[name], errors="coerce").astype(float)
        else:
            reference[name] = _as_text(reference[name])
            current[name] = _as_text(current[name])
    return reference.reset_index(drop=True), current.reset_index(drop=True)


def _as_text(values: pd.Series) -> pd.Series:
    return (
        values.astype(object).where(values.notna(), None).map(lambda v: v if v is None else str(v))
    )


def _run_report(reference, current, compared, with_prediction):
    # Imported here: Evidently takes seconds to import, and only a drift run needs it, not every
    # web worker at start-up.
    from evidently import DataDefinition, Dataset, Report
    from evidently.metrics import ValueDrift
    from evidently.presets import DataDriftPreset

    numerical = [c for c in reference.columns if pd.api.types.is_numeric_dtype(reference[c])]
    definition = DataDefinition(
        numerical_columns=numerical,
        categorical_columns=[c for c in reference.columns if c not in numerical],
    )
    metrics = [DataDriftPreset(columns=compared)]
    if with_prediction:
        metrics.append(ValueDrift(column=PREDICTION_COLUMN))
    report = Report(metrics, include_tests=True)
    with warnings.catch_warnings():
        # scipy warns on categories absent from one side; Evidently handles them.
        warnings.simplefilter("ignore", RuntimeWarning)
        return report.run(
            Dataset.from_pandas(current, data_definition=definition),
            Dataset.from_pandas(reference, data_definition=definition),
        )


def _column_drifts(snapshot: dict) -> dict[str, ColumnDrift]:
    """Per-column drift read off the snapshot: score from the metric, verdict from its test."""
    scores = {m["id"]: m["value"] for m in snapshot["metrics"]}
    drifts = {}
    for test in snapshot["tests"]:
        params = test["metric_config"]["params"]
        if params.get("type") != "evidently:metric_v2:ValueDrift":
            continue
        drifts[params["column"]] = ColumnDrift(
            column=params["column"],
            stat_test=params["method"],
            score=float(scores[test["metric_config"]["metric_id"]]),
            threshold=float(params["threshold"]),
            drifted=test["status"] == "FAIL",
        )
    return drifts


def _mean(frame: pd.DataFrame, column: str) -> float | None:
    if column not in frame:
        return None
    values = pd.to_numeric(frame[column], errors="coerce")
    return float(values.mean()) if values.notna().any() else None
