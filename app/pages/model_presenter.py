"""What the model page shows: metrics, the importance, cost and calibration charts, fairness.

Plain functions of the model (no request data); words in the page's language.
"""

from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.i18n import translated
from app.pages.vocabulary import GENDER_GROUPS
from app.services import charts, model_charts
from app.services.formatting import amount, number, percent, when


def _ratio3(value) -> str:
    return number(value, 3)


METRIC_LABELS = {
    "auc": (_l("AUC (ranking quality, 0.5 = chance)"), _ratio3),
    "business_cost": (
        _l("Business cost per application (10 × missed defaults + false refusals)"),
        _ratio3,
    ),
    "balanced_accuracy": (_l("Balanced accuracy"), _ratio3),
    "recall": (_l("Share of defaulters refused (recall)"), percent),
    "specificity": (_l("Share of good clients accepted (specificity)"), percent),
    "brier": (_l("Brier score (lower is better)"), lambda v: number(v, 4)),
    "refusal_rate": (_l("Refusal rate"), percent),
}


def _fmt(value, fmt) -> str:
    """A metric for a table, formatted by `fmt`; '–' when there is none."""
    return "–" if value is None else fmt(value)


def _importance_chart(report: dict):
    rows = [
        {"label": translated(r["label"]), "value": round(float(r["mean_abs_contribution"]), 4)}
        for r in report.get("global_importance", [])
    ]
    top = ", ".join(r["label"] for r in rows[:3]) or _("none")
    table = charts.Table(
        _("Mean absolute contribution per business concept"),
        [_("Business concept"), _("Mean absolute contribution (log-odds)")],
        [[r["label"], number(r["value"], 3)] for r in rows],
    )
    summary = _("The concepts that move the score most, on average: %(top)s.", top=top)
    return model_charts.bar_chart(
        rows,
        _("Mean absolute contribution"),
        _("What the model relies on"),
        summary,
        table,
        "importance",
    )


def _cost_chart(report: dict, threshold: float):
    curve = report.get("cost_curve", [])
    points = [{"x": p["threshold"], "y": p["cost"]} for p in curve]
    best = min(curve, key=lambda p: p["cost"]) if curve else None
    if best:
        summary = _(
            "The chosen threshold is %(threshold)s; the cost curve is lowest (%(cost)s) at "
            "%(best)s.",
            threshold=percent(threshold),
            cost=number(best["cost"], 3),
            best=percent(best["threshold"], 0),
        )
    else:
        summary = _("The chosen threshold is %(threshold)s.", threshold=percent(threshold))
    table = charts.Table(
        _("Business cost per application at each threshold (every 5 points)"),
        [_("Threshold"), _("Cost per application")],
        [[percent(p["threshold"], 0), number(p["cost"], 3)] for p in curve[::5]],
    )
    marker = {"x": threshold, "label": _("Chosen threshold %(value)s", value=percent(threshold))}
    return model_charts.line_chart(
        points, (_("Refusal threshold"), _("Business cost per application")), marker,
        (_("Business cost against the threshold"), summary), table, "cost-curve",
    )  # fmt: skip


def _calibration_chart(report: dict):
    bins = report.get("calibration_bins", [])
    points = [{"x": b["mean_predicted"], "y": b["observed_rate"]} for b in bins]
    gaps = [abs(b["mean_predicted"] - b["observed_rate"]) for b in bins]
    summary = (
        _(
            "Predicted and observed default rates differ by %(gap)s at most across %(groups)s "
            "groups of clients; the dashed line is perfect calibration.",
            gap=percent(max(gaps)),
            groups=len(bins),
        )
        if bins
        else _("No calibration data in the model report.")
    )
    table = charts.Table(
        _("Predicted against observed default rate"),
        [_("Mean predicted"), _("Observed default rate"), _("Clients")],
        [
            [percent(b["mean_predicted"]), percent(b["observed_rate"]), amount(b["count"])]
            for b in bins
        ],
    )
    return model_charts.line_chart(
        points, (_("Predicted probability of default"), _("Observed default rate")), None,
        (_("Calibration"), summary), table, "calibration", diagonal=True,
    )  # fmt: skip


FAIRNESS_ATTRIBUTES = {
    "CODE_GENDER": _l("Gender"),
    "age_band": _l("Age band"),
    "NAME_FAMILY_STATUS": _l("Family status"),
}
FAIRNESS_RATES = ("refusal_rate", "false_refusal_rate", "missed_default_rate")


def _fairness_group(row: dict) -> tuple[str, str]:
    """The attribute and the group in the page's language (unknown names as they are)."""
    attribute = str(FAIRNESS_ATTRIBUTES.get(row["attribute"], row["attribute"]))
    if row["attribute"] == "CODE_GENDER":
        return attribute, translated(GENDER_GROUPS.get(row["group"], row["group"]))
    return attribute, translated(str(row["group"]))


def _rate_with_interval(row: dict, name: str) -> dict:
    """A fairness rate and its 95 % bootstrap interval as words ('–' when undefined)."""
    interval = row.get(f"{name}_interval")
    words = ""
    if interval:
        words = _("%(low)s to %(high)s", low=percent(interval[0]), high=percent(interval[1]))
    return {"value": _fmt(row.get(name), percent), "interval": words}


def _trained_at(report: dict) -> str | None:
    raw = report.get("trained_at")
    try:
        return when(datetime.fromisoformat(raw)) if raw else None
    except ValueError:
        return raw


def model_view(model) -> dict:
    """Everything the model page shows, from the model's report and metrics."""
    report = getattr(model, "report", {}) or {}
    metrics = getattr(model, "metrics", {}) or {}
    threshold = float(model.threshold)
    metric_rows = [
        (str(label), _fmt(metrics.get(key), fmt))
        for key, (label, fmt) in METRIC_LABELS.items()
        if key in metrics
    ]
    fairness = []
    for r in report.get("fairness", []):
        attribute, group = _fairness_group(r)
        fairness.append(
            {
                "attribute": attribute,
                "group": group,
                "count": amount(r["count"]),
                "default_rate": _fmt(r.get("default_rate"), percent),
                **{name: _rate_with_interval(r, name) for name in FAIRNESS_RATES},
                "auc": _fmt(r.get("auc"), _ratio3),
            }
        )
    return {
        "report": report,
        "threshold": threshold,
        "trained_at": _trained_at(report),
        "metric_rows": metric_rows,
        "fairness": fairness,
        "importance_chart": _importance_chart(report),
        "cost_chart": _cost_chart(report, threshold),
        "calibration_chart": _calibration_chart(report),
    }
