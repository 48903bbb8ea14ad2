"""Turn scores and populations into what the templates show: words, charts, tables.

Plain functions of their arguments (no request), so the benchmark and tests can call them.
"""

import numpy as np

from app.services import charts, comparison
from app.services.comparison import VARIABLES, PopulationFilter
from app.services.dashboard import distance_in_words, interpretation
from app.services.formatting import percent

FACTS = [
    ("NAME_CONTRACT_TYPE", "Contract type"),
    ("AMT_CREDIT", "Credit amount"),
    ("AMT_ANNUITY", "Annuity"),
    ("AMT_GOODS_PRICE", "Price of the goods"),
    ("AMT_INCOME_TOTAL", "Annual income"),
    ("AGE_YEARS", "Age"),
    ("EMPLOYMENT_YEARS", "Years in current employment"),
    ("NAME_INCOME_TYPE", "Income type"),
    ("NAME_EDUCATION_TYPE", "Education"),
    ("OCCUPATION_TYPE", "Occupation"),
    ("NAME_HOUSING_TYPE", "Housing"),
    ("CNT_CHILDREN", "Children"),
    ("FLAG_OWN_CAR", "Owns a car"),
    ("FLAG_OWN_REALTY", "Owns real estate"),
]


def _fact_value(key: str, application: dict, derived: dict) -> str:
    value = derived.get(key, application.get(key))
    if value is None:
        return "Not known"
    if key == "EMPLOYMENT_YEARS":
        return f"{value:.1f} years"
    if key == "AGE_YEARS":
        return f"{int(value)} years"
    if key.startswith("FLAG_"):
        return {"Y": "Yes", "N": "No"}.get(value, str(value))
    if isinstance(value, float | int):
        return f"{value:,.0f}"
    return str(value)


def facts(application: dict) -> list[tuple[str, str]]:
    derived = comparison.derived_values(application)  # EMPLOYMENT_YEARS is None when not employed
    return [(label, _fact_value(key, application, derived)) for key, label in FACTS]


def decision_summary(score) -> dict:
    """Decision wording shared by the client, what-if and new-application pages."""
    return {
        "decision": score.decision,
        "decision_label": "Accepted" if score.decision == "accepted" else "Refused",
        "probability": percent(score.probability_of_default),
        "threshold": percent(score.threshold),
        "distance": distance_in_words(score.distance_to_threshold),
        "interpretation": interpretation(
            score.probability_of_default, score.threshold, score.decision
        ),
        "raising": [r for r in score.reasons if r["direction"] == "raises"],
        "lowering": [r for r in score.reasons if r["direction"] == "lowers"],
    }


def distribution_chart(variable: str, application: dict, filters: PopulationFilter):
    label, _ = VARIABLES[variable]
    client_value = comparison.derived_values(application).get(variable)
    found = comparison.distribution(variable, client_value, filters)
    return charts.histogram_chart(
        found["bins"], client_value, label, found["summary"], "distribution"
    )


def _position(values: np.ndarray, client_value, label: str, fmt: str) -> str:
    if client_value is None:
        return f"{label} not known for this client"
    share = comparison.share_below(values, client_value)
    return f"{label.lower()} {fmt.format(client_value)}, higher than {100 * share:.0f}% of them"


def scatter_chart(x: str, y: str, application: dict, filters: PopulationFilter):
    (x_label, x_fmt), (y_label, y_fmt) = VARIABLES[x], VARIABLES[y]
    derived = comparison.derived_values(application)
    group = comparison.filtered(filters)
    points = comparison.scatter_sample(x, y, filters)
    both = derived[x] is not None and derived[y] is not None
    client = {"x": derived[x], "y": derived[y]} if both else None
    who = filters.describe()
    summary = (
        f"{len(points):,} clients shown from {who} (a random sample when there are more). "
        "This client: "
        f"{_position(group[x].dropna().to_numpy(), derived[x], x_label, x_fmt)}; "
        f"{_position(group[y].dropna().to_numpy(), derived[y], y_label, y_fmt)}."
    )
    rows = []
    for key, label, fmt in ((x, x_label, x_fmt), (y, y_label, y_fmt)):
        values = group[key].dropna()
        median = fmt.format(values.median()) if len(values) else "–"
        mine = fmt.format(derived[key]) if derived[key] is not None else "Not known"
        rows.append([label, mine, median])
    table = charts.Table(
        f"This client and the median of {who}", ["Variable", "This client", "Median"], rows
    )
    return charts.scatter_chart(points, client, (x_label, y_label), summary, table)


def filters_from_form(form) -> PopulationFilter:
    return PopulationFilter(
        form.age_band.data or None,
        form.income_band.data or None,
        form.contract_type.data or None,
        form.education.data or None,
    )


def comparison_view(application: dict, form) -> dict:
    """Both comparison charts for the chosen variables and population."""
    filters = filters_from_form(form)
    return {
        "filters": filters,
        "population": filters.describe(),
        "similar": PopulationFilter.like(application),
        "distribution_chart": distribution_chart(form.variable.data, application, filters),
        "scatter_chart": scatter_chart(form.x.data, form.y.data, application, filters),
    }


METRIC_LABELS = {
    "auc": ("AUC (ranking quality, 0.5 = chance)", "{:.3f}"),
    "business_cost": (
        "Business cost per application (10 × missed defaults + false refusals)",
        "{:.3f}",
    ),
    "balanced_accuracy": ("Balanced accuracy", "{:.3f}"),
    "recall": ("Share of defaulters refused (recall)", percent),
    "specificity": ("Share of good clients accepted (specificity)", percent),
    "brier": ("Brier score (lower is better)", "{:.4f}"),
    "refusal_rate": ("Refusal rate", percent),
}


def _fmt(value, fmt) -> str:
    """A metric for a table: a format string or a function; '–' when there is none."""
    if value is None:
        return "–"
    return fmt(value) if callable(fmt) else fmt.format(value)


def _importance_chart(report: dict):
    rows = [
        {"label": r["label"], "value": round(float(r["mean_abs_contribution"]), 4)}
        for r in report.get("global_importance", [])
    ]
    top = ", ".join(r["label"] for r in rows[:3]) or "none"
    table = charts.Table(
        "Mean absolute contribution per business concept",
        ["Business concept", "Mean absolute contribution (log-odds)"],
        [[r["label"], f"{r['value']:.3f}"] for r in rows],
    )
    summary = f"The concepts that move the score most, on average: {top}."
    return charts.bar_chart(
        rows, "Mean absolute contribution", "What the model relies on", summary, table, "importance"
    )


def _cost_chart(report: dict, threshold: float):
    curve = report.get("cost_curve", [])
    points = [{"x": p["threshold"], "y": p["cost"]} for p in curve]
    best = min(curve, key=lambda p: p["cost"]) if curve else None
    summary = f"The chosen threshold is {percent(threshold)}" + (
        f"; the cost curve is lowest ({best['cost']:.3f}) at {percent(best['threshold'], 0)}."
        if best
        else "."
    )
    table = charts.Table(
        "Business cost per application at each threshold (every 5 points)",
        ["Threshold", "Cost per application"],
        [[percent(p["threshold"], 0), f"{p['cost']:.3f}"] for p in curve[::5]],
    )
    marker = {"x": threshold, "label": f"Chosen threshold {percent(threshold)}"}
    return charts.line_chart(
        points, ("Refusal threshold", "Business cost per application"), marker,
        ("Business cost against the threshold", summary), table, "cost-curve",
    )  # fmt: skip


def _calibration_chart(report: dict):
    bins = report.get("calibration_bins", [])
    points = [{"x": b["mean_predicted"], "y": b["observed_rate"]} for b in bins]
    gaps = [abs(b["mean_predicted"] - b["observed_rate"]) for b in bins]
    summary = (
        f"Predicted and observed default rates differ by {percent(max(gaps))} at most across "
        f"{len(bins)} groups of clients; the dashed line is perfect calibration."
        if bins
        else "No calibration data in the model report."
    )
    table = charts.Table(
        "Predicted against observed default rate",
        ["Mean predicted", "Observed default rate", "Clients"],
        [
            [percent(b["mean_predicted"]), percent(b["observed_rate"]), f"{b['count']:,}"]
            for b in bins
        ],
    )
    return charts.line_chart(
        points, ("Predicted probability of default", "Observed default rate"), None,
        ("Calibration", summary), table, "calibration", diagonal=True,
    )  # fmt: skip


FAIRNESS_ATTRIBUTES = {
    "CODE_GENDER": "Gender",
    "age_band": "Age band",
    "NAME_FAMILY_STATUS": "Family status",
}
FAIRNESS_RATES = ("refusal_rate", "false_refusal_rate", "missed_default_rate")


def _rate_with_interval(row: dict, name: str) -> dict:
    """A fairness rate and its 95 % bootstrap interval as words ('–' when undefined)."""
    interval = row.get(f"{name}_interval")
    return {
        "value": _fmt(row.get(name), percent),
        "interval": f"{percent(interval[0])} to {percent(interval[1])}" if interval else "",
    }


def model_view(model) -> dict:
    """Everything the model page shows, from the model's report and metrics."""
    report = getattr(model, "report", {}) or {}
    metrics = getattr(model, "metrics", {}) or {}
    threshold = float(model.threshold)
    metric_rows = [
        (label, _fmt(metrics.get(key), fmt))
        for key, (label, fmt) in METRIC_LABELS.items()
        if key in metrics
    ]
    fairness = [
        {
            "attribute": FAIRNESS_ATTRIBUTES.get(r["attribute"], r["attribute"]),
            "group": r["group"],
            "count": f"{r['count']:,}",
            "default_rate": _fmt(r.get("default_rate"), percent),
            **{name: _rate_with_interval(r, name) for name in FAIRNESS_RATES},
            "auc": _fmt(r.get("auc"), "{:.3f}"),
        }
        for r in report.get("fairness", [])
    ]
    return {
        "report": report,
        "threshold": threshold,
        "metric_rows": metric_rows,
        "fairness": fairness,
        "importance_chart": _importance_chart(report),
        "cost_chart": _cost_chart(report, threshold),
        "calibration_chart": _calibration_chart(report),
    }
