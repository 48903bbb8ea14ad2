"""Turn scores and populations into what the templates show: words, charts, tables.

Plain functions of their arguments (no request data), so the benchmark and tests can call them;
words come in the language Flask-Babel selects (English outside a request).
"""

from datetime import datetime

import numpy as np
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.i18n import translated
from app.pages.vocabulary import GENDER_GROUPS
from app.services import charts, comparison, reasons
from app.services.comparison import PopulationFilter
from app.services.dashboard import distance_in_words, interpretation
from app.services.formatting import amount, number, percent, when

FACTS = [
    ("NAME_CONTRACT_TYPE", _l("Contract type")),
    ("AMT_CREDIT", _l("Credit amount")),
    ("AMT_ANNUITY", _l("Annuity")),
    ("AMT_GOODS_PRICE", _l("Price of the goods")),
    ("AMT_INCOME_TOTAL", _l("Annual income")),
    ("AGE_YEARS", _l("Age")),
    ("EMPLOYMENT_YEARS", _l("Years in current employment")),
    ("NAME_INCOME_TYPE", _l("Income type")),
    ("NAME_EDUCATION_TYPE", _l("Education")),
    ("OCCUPATION_TYPE", _l("Occupation")),
    ("NAME_HOUSING_TYPE", _l("Housing")),
    ("CNT_CHILDREN", _l("Children")),
    ("FLAG_OWN_CAR", _l("Owns a car")),
    ("FLAG_OWN_REALTY", _l("Owns real estate")),
]
SOURCES = {
    "api": _l("API"),
    "batch": _l("API batch"),
    "page": _l("Dashboard"),
    "whatif": _l("What if"),
}


def _fact_value(key: str, application: dict, derived: dict) -> str:
    value = derived.get(key, application.get(key))
    if value is None:
        return _("Not known")
    if key == "EMPLOYMENT_YEARS":
        return _("%(years)s years", years=number(value, 1))
    if key == "AGE_YEARS":
        return _("%(years)s years", years=int(value))
    if key.startswith("FLAG_"):
        return {"Y": _("Yes"), "N": _("No")}.get(value, str(value))
    if isinstance(value, float | int):
        return amount(value)
    return translated(str(value))


def facts(application: dict) -> list[tuple[str, str]]:
    derived = comparison.derived_values(application)  # EMPLOYMENT_YEARS is None when not employed
    return [(str(label), _fact_value(key, application, derived)) for key, label in FACTS]


def sources() -> dict:
    """Where a logged scoring came from, in words."""
    return {key: str(words) for key, words in SOURCES.items()}


def decision_summary(score) -> dict:
    """Decision wording shared by the client, what-if and new-application pages."""
    page_reasons = [{**r, "text": reasons.page_text(r, score.logged_input)} for r in score.reasons]
    return {
        "decision": score.decision,
        "decision_label": _("Accepted") if score.decision == "accepted" else _("Refused"),
        "probability": percent(score.probability_of_default),
        "threshold": percent(score.threshold),
        "distance": distance_in_words(score.distance_to_threshold),
        "interpretation": interpretation(
            score.probability_of_default, score.threshold, score.decision
        ),
        "raising": [r for r in page_reasons if r["direction"] == "raises"],
        "lowering": [r for r in page_reasons if r["direction"] == "lowers"],
    }


def probability_change(original, result) -> dict:
    """The what-if's change of probability in points, with its direction in words."""
    points = 100 * (result.probability_of_default - original.probability_of_default)
    signed = ("+" if points > 0 else "") + number(points, 1)
    if points > 0:
        text = _("%(points)s points (higher risk)", points=signed)
    elif points < 0:
        text = _("%(points)s points (lower risk)", points=signed)
    else:
        text = _("%(points)s points (same)", points=signed)
    return {"points": points, "text": text}


def distribution_chart(variable: str, application: dict, filters: PopulationFilter):
    client_value = comparison.derived_values(application).get(variable)
    found = comparison.distribution(variable, client_value, filters)
    return charts.histogram_chart(
        found["bins"], client_value, comparison.label(variable), found["summary"], "distribution"
    )


def _position(values: np.ndarray, client_value, variable: str) -> str:
    name = comparison.label(variable)
    if client_value is None:
        return _("%(variable)s not known for this client", variable=name)
    share = comparison.share_below(values, client_value)
    return _(
        "%(variable)s %(value)s, higher than %(share)s of them",
        variable=name.lower(),
        value=comparison.format_value(variable, client_value),
        share=percent(share, 0),
    )


def scatter_chart(x: str, y: str, application: dict, filters: PopulationFilter):
    derived = comparison.derived_values(application)
    group = comparison.filtered(filters)
    points = comparison.scatter_sample(x, y, filters)
    both = derived[x] is not None and derived[y] is not None
    client = {"x": derived[x], "y": derived[y]} if both else None
    who = filters.describe()
    summary = _(
        "%(count)s clients shown from %(who)s (a random sample when there are more). "
        "This client: %(x)s; %(y)s.",
        count=amount(len(points)),
        who=who,
        x=_position(group[x].dropna().to_numpy(), derived[x], x),
        y=_position(group[y].dropna().to_numpy(), derived[y], y),
    )
    rows = []
    for key in (x, y):
        values = group[key].dropna()
        median = comparison.format_value(key, values.median()) if len(values) else "–"
        mine = comparison.format_value(key, derived[key]) if derived[key] is not None else None
        rows.append([comparison.label(key), mine or _("Not known"), median])
    table = charts.Table(
        _("This client and the median of %(who)s", who=who),
        [_("Variable"), _("This client"), _("Median")],
        rows,
    )
    labels = (comparison.label(x), comparison.label(y))
    return charts.scatter_chart(points, client, labels, summary, table)


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
    return charts.bar_chart(
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
    return charts.line_chart(
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
    return charts.line_chart(
        points, (_("Predicted probability of default"), _("Observed default rate")), None,
        (_("Calibration"), summary), table, "calibration", diagonal=True,
    )  # fmt: skip


def _fairness_group(row: dict) -> tuple[str, str]:
    if row["attribute"] == "CODE_GENDER":
        return _("Gender"), translated(GENDER_GROUPS.get(row["group"], row["group"]))
    return _("Age band"), translated(str(row["group"]))


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
                "refusal_rate": _fmt(r.get("refusal_rate"), percent),
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
