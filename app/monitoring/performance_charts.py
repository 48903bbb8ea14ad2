"""Charts of the performance page (Altair via app/services/charts.py), each with a summary and a
data table. Built from the stored run only. Series differ by shape and dash as well as colour,
and reference lines are labelled in text, so colour never carries meaning alone.
"""

from __future__ import annotations

import math

import altair as alt

from app.models import PerformanceRun
from app.services import model_charts
from app.services.charts import INK, NAVY, ORANGE, Chart, Table
from app.services.formatting import percent


def _configured(chart, height: int = 240) -> dict:
    chart = (
        chart.properties(width="container", height=height)
        .configure_axis(labelColor=INK, titleColor=INK, labelFontSize=13, titleFontSize=13)
        .configure_legend(labelColor=INK, titleColor=INK, labelFontSize=13, titleFontSize=13)
        .configure_view(stroke=None)
    )
    return chart.to_dict(validate=False)


def _figure(value, fmt=percent) -> str:
    return "–" if value is None else fmt(value)


def calibration_chart(run: PerformanceRun) -> Chart:
    """Observed default rate against predicted probability, by decile, with the diagonal."""
    bins = run.calibration
    points = [{"x": b["mean_predicted"], "y": b["observed_rate"]} for b in bins]
    widest = max(bins, key=lambda b: abs(b["mean_predicted"] - b["observed_rate"]))
    gap = abs(widest["mean_predicted"] - widest["observed_rate"])
    summary = (
        f"Across {len(bins)} groups of {run.n_labelled:,} decided applications, predicted and "
        f"observed default rates differ by {percent(gap)} at most (predicted "
        f"{percent(widest['mean_predicted'])}, observed {percent(widest['observed_rate'])}); "
        "the dashed line is perfect calibration."
    )
    table = Table(
        "Predicted against observed default rate, by decile of predicted probability",
        ["Mean predicted", "Observed default rate", "Applications"],
        [
            [percent(b["mean_predicted"]), percent(b["observed_rate"]), f"{b['count']:,}"]
            for b in bins
        ],
    )
    return model_charts.line_chart(
        points, ("Predicted probability of default", "Observed default rate"), None,
        ("Calibration on known outcomes", summary), table, "performance-calibration",
        diagonal=True,
    )  # fmt: skip


_MONTH = alt.X("month:O", title="Month of the decision", axis=alt.Axis(labelAngle=0))


def _auc_domain(run: PerformanceRun, margin: float) -> list[float]:
    """From a little below the lowest AUC or limit shown (0.5 at least in view) up to 1."""
    shown = [0.5, *(m["auc"] for m in run.by_month if m["auc"] is not None)]
    if run.test_auc is not None:
        shown.append(run.test_auc - margin)
    return [max(0.0, math.floor(10 * min(shown) - 0.5) / 10), 1.0]


def _month_values(run: PerformanceRun, field: str) -> list[dict]:
    return [{"month": m["month"], "value": m[field]} for m in run.by_month if m[field] is not None]


def auc_by_month_chart(run: PerformanceRun, margin: float) -> Chart:
    """Realised AUC per month of the decision, with the test AUC and the alert limit."""
    values = _month_values(run, "auc")
    base = alt.Chart(alt.Data(values=values)).encode(
        x=_MONTH,
        y=alt.Y("value:Q", title="Realised AUC", scale=alt.Scale(domain=_auc_domain(run, margin))),
        tooltip=[
            alt.Tooltip("month:O", title="Month"),
            alt.Tooltip("value:Q", title="AUC", format=".3f"),
        ],
    )
    layers = [
        base.mark_line(color=NAVY, strokeWidth=2),
        base.mark_point(color=NAVY, filled=True, size=80),
    ]
    limits = []
    if run.test_auc is not None:
        limits = [
            {"value": run.test_auc, "label": f"Test AUC {run.test_auc:.3f}"},
            {
                "value": run.test_auc - margin,
                "label": f"Alert limit {run.test_auc - margin:.3f}",
            },
        ]
        rules = alt.Chart(alt.Data(values=limits)).encode(y="value:Q")
        layers += [
            rules.mark_rule(color=ORANGE, strokeDash=[6, 4], strokeWidth=2),
            rules.mark_text(align="left", dx=4, dy=-8, color=INK).encode(
                text="label:N", x=alt.value(0)
            ),
        ]
    spec = _configured(alt.layer(*layers))
    months = len(run.by_month)
    summary = (
        f"{months} month{'s' if months != 1 else ''} of decisions; the realised AUC went from "
        f"{values[0]['value']:.3f} ({values[0]['month']}) to {values[-1]['value']:.3f} "
        f"({values[-1]['month']})"
        if values
        else "No month has both outcomes yet, so no monthly AUC"
    )
    if run.test_auc is not None:
        limit = run.test_auc - margin
        summary += f"; the model's test AUC is {run.test_auc:.3f}, the alert limit {limit:.3f}."
    else:
        summary += "."
    table = Table(
        "Realised AUC and default rates per month",
        ["Month", "Applications", "AUC", "Default rate", "Default rate among accepted"],
        [
            [
                m["month"],
                f"{m['n_labelled']:,}",
                _figure(m["auc"], "{:.3f}".format),
                _figure(m["default_rate"]),
                _figure(m["default_rate_accepted"]),
            ]
            for m in run.by_month
        ],
    )
    return Chart("performance-auc-by-month", "Realised AUC by month", summary, spec, table)


def default_rate_by_month_chart(run: PerformanceRun) -> Chart:
    """Default rate of followed and of overridden decisions, per month (two shapes, two dashes)."""
    series = [("Followed the model", "followed"), ("Overridden", "overrides")]
    values = [
        {"month": m["month"], "group": label, "value": m[key]["default_rate"], "n": m[key]["n"]}
        for m in run.by_month
        for label, key in series
        if m[key]["n"]
    ]
    groups = [label for label, _ in series]
    encoding = {
        "x": _MONTH,
        "y": alt.Y("value:Q", title="Default rate", axis=alt.Axis(format="%")),
        "color": alt.Color(
            "group:N", scale=alt.Scale(domain=groups, range=[NAVY, ORANGE]), title=None
        ),
        "tooltip": [
            alt.Tooltip("month:O", title="Month"),
            alt.Tooltip("group:N", title="Decisions"),
            alt.Tooltip("value:Q", title="Default rate", format=".1%"),
            alt.Tooltip("n:Q", title="Applications", format=","),
        ],
    }
    base = alt.Chart(alt.Data(values=values)).encode(**encoding)
    shapes = alt.Shape("group:N", scale=alt.Scale(domain=groups, range=["circle", "square"]))
    dashes = alt.StrokeDash("group:N", scale=alt.Scale(domain=groups, range=[[1, 0], [6, 4]]))
    spec = _configured(
        alt.layer(
            base.mark_line(strokeWidth=2).encode(strokeDash=dashes),
            base.mark_point(filled=True, size=90).encode(shape=shapes),
        )
    )
    followed, overrides = run.followed or {}, run.overrides or {}
    summary = (
        f"Over the whole period, {_figure(followed.get('default_rate'))} of the applications "
        f"decided as the model recommended defaulted ({followed.get('n', 0):,}), against "
        f"{_figure(overrides.get('default_rate'))} of the overridden ones "
        f"({overrides.get('n', 0):,})."
    )
    table = Table(
        "Default rate per month, followed and overridden decisions",
        ["Month", "Followed: applications", "Followed: default rate", "Overridden: applications",
         "Overridden: default rate"],
        [
            [
                m["month"],
                f"{m['followed']['n']:,}",
                _figure(m["followed"]["default_rate"]),
                f"{m['overrides']['n']:,}",
                _figure(m["overrides"]["default_rate"]),
            ]
            for m in run.by_month
        ],
    )  # fmt: skip
    title = "Default rate by month: followed and overridden decisions"
    return Chart("performance-default-by-month", title, summary, spec, table)


def performance_charts(run: PerformanceRun | None, margin: float) -> dict:
    if run is None:
        return {}
    return {
        "calibration_chart": calibration_chart(run),
        "auc_chart": auc_by_month_chart(run, margin),
        "default_chart": default_rate_by_month_chart(run),
    }
