"""Charts of the performance page (Altair), each with a text summary and a data table, drawn as
SVG on the server (app/services/svg.py) like the drift page's. Built from the stored run only.
Series differ by shape and dash as well as colour, and reference lines are labelled in text, so
colour never carries meaning alone. Words in the page's language, numbers in its format.
"""

from __future__ import annotations

import math

import altair as alt
from flask_babel import gettext as _

from app.i18n import plural
from app.models import PerformanceRun
from app.monitoring.performance_wording import auc
from app.services.charts import INK, NAVY, ORANGE, WIDTH, Chart, Table, configured, padding
from app.services.formatting import amount, percent
from app.services.model_charts import line_chart

PADDING = padding(left=72, top=12, right=24, bottom=48)
LEGEND_PADDING = padding(left=72, top=12, right=24, bottom=96)  # the legend sits below the plot


def _figure(value, fmt=percent) -> str:
    return "–" if value is None else fmt(value)


def calibration_chart(run: PerformanceRun) -> Chart:
    """Observed default rate against predicted probability, by decile, with the diagonal."""
    bins = run.calibration
    points = [{"x": b["mean_predicted"], "y": b["observed_rate"]} for b in bins]
    widest = max(bins, key=lambda b: abs(b["mean_predicted"] - b["observed_rate"]))
    summary = _(
        "Across %(groups)s groups of %(count)s decided applications, predicted and observed "
        "default rates differ by %(gap)s at most (predicted %(predicted)s, observed "
        "%(observed)s); the dashed line is perfect calibration.",
        groups=len(bins),
        count=amount(run.n_labelled),
        gap=percent(abs(widest["mean_predicted"] - widest["observed_rate"])),
        predicted=percent(widest["mean_predicted"]),
        observed=percent(widest["observed_rate"]),
    )
    table = Table(
        _("Predicted against observed default rate, by decile of predicted probability"),
        [_("Mean predicted"), _("Observed default rate"), _("Applications")],
        [
            [percent(b["mean_predicted"]), percent(b["observed_rate"]), amount(b["count"])]
            for b in bins
        ],
    )
    return line_chart(
        points,
        (_("Predicted probability of default"), _("Observed default rate")),
        None,
        (_("Calibration on known outcomes"), summary),
        table,
        "performance-calibration",
        diagonal=True,
    )


def _month_axis() -> alt.X:
    return alt.X("month:O", title=_("Month of the decision"), axis=alt.Axis(labelAngle=0))


def _auc_domain(run: PerformanceRun, margin: float) -> list[float]:
    """From a little below the lowest AUC or limit shown (0.5 at least in view) up to 1."""
    shown = [0.5, *(m["auc"] for m in run.by_month if m["auc"] is not None)]
    if run.test_auc is not None:
        shown.append(run.test_auc - margin)
    return [max(0.0, math.floor(10 * min(shown) - 0.5) / 10), 1.0]


def _month_values(run: PerformanceRun, field: str) -> list[dict]:
    return [{"month": m["month"], "value": m[field]} for m in run.by_month if m[field] is not None]


def _auc_limits(run: PerformanceRun, margin: float) -> list[dict]:
    if run.test_auc is None:
        return []
    limit = run.test_auc - margin
    return [
        {"value": run.test_auc, "label": _("Test AUC %(auc)s", auc=auc(run.test_auc))},
        {"value": limit, "label": _("Alert limit %(auc)s", auc=auc(limit))},
    ]


def _auc_summary(run: PerformanceRun, values: list[dict], margin: float) -> str:
    months = len(run.by_month)
    if values:
        summary = plural(
            "%(num)s month of decisions; the realised AUC went from %(first)s (%(first_month)s) "
            "to %(last)s (%(last_month)s).",
            "%(num)s months of decisions; the realised AUC went from %(first)s (%(first_month)s) "
            "to %(last)s (%(last_month)s).",
            months,
            num=amount(months),
            first=auc(values[0]["value"]),
            first_month=values[0]["month"],
            last=auc(values[-1]["value"]),
            last_month=values[-1]["month"],
        )
    else:
        summary = _("No month has both outcomes yet, so no monthly AUC.")
    if run.test_auc is None:
        return summary
    limits = _(
        "The model's test AUC is %(test_auc)s; the alert limit is %(limit)s.",
        test_auc=auc(run.test_auc),
        limit=auc(run.test_auc - margin),
    )
    return f"{summary} {limits}"


def auc_by_month_chart(run: PerformanceRun, margin: float) -> Chart:
    """Realised AUC per month of the decision, with the test AUC and the alert limit."""
    values = _month_values(run, "auc")
    base = alt.Chart(alt.Data(values=values)).encode(
        x=_month_axis(),
        y=alt.Y(
            "value:Q",
            title=_("Realised AUC"),
            scale=alt.Scale(domain=_auc_domain(run, margin)),
            axis=alt.Axis(format=".2f", tickCount=5),
        ),
    )
    layers = [
        base.mark_line(color=NAVY, strokeWidth=2),
        base.mark_point(color=NAVY, filled=True, size=80),
    ]
    limits = _auc_limits(run, margin)
    if limits:
        rules = alt.Chart(alt.Data(values=limits)).encode(y="value:Q")
        layers += [
            rules.mark_rule(color=ORANGE, strokeDash=[6, 4], strokeWidth=2),
            rules.mark_text(align="left", dx=4, dy=-8, color=INK).encode(
                text="label:N", x=alt.value(0)
            ),
        ]
    spec = configured(alt.layer(*layers), WIDTH, 240, PADDING)
    table = Table(
        _("Realised AUC and default rates per month"),
        [_("Month"), _("Applications"), _("AUC"), _("Default rate"),
         _("Default rate among accepted")],
        [
            [
                m["month"],
                amount(m["n_labelled"]),
                _figure(m["auc"], auc),
                _figure(m["default_rate"]),
                _figure(m["default_rate_accepted"]),
            ]
            for m in run.by_month
        ],
    )  # fmt: skip
    summary = _auc_summary(run, values, margin)
    return Chart("performance-auc-by-month", _("Realised AUC by month"), summary, spec, table)


def _default_rate_spec(run: PerformanceRun) -> dict:
    """Two series told apart by shape and dash as well as colour, the legend below the plot."""
    series = [(_("Followed the model"), "followed"), (_("Overridden"), "overrides")]
    values = [
        {"month": m["month"], "group": label, "value": m[key]["default_rate"]}
        for m in run.by_month
        for label, key in series
        if m[key]["n"]
    ]
    groups = [label for label, _key in series]
    legend = alt.Legend(orient="bottom", direction="horizontal", title=None)
    base = alt.Chart(alt.Data(values=values)).encode(
        x=_month_axis(),
        y=alt.Y("value:Q", title=_("Default rate"), axis=alt.Axis(format="%", tickCount=5)),
        color=alt.Color(
            "group:N", scale=alt.Scale(domain=groups, range=[NAVY, ORANGE]), legend=legend
        ),
    )
    shapes = alt.Shape(
        "group:N", scale=alt.Scale(domain=groups, range=["circle", "square"]), legend=legend
    )
    dashes = alt.StrokeDash(
        "group:N", scale=alt.Scale(domain=groups, range=[[1, 0], [6, 4]]), legend=legend
    )
    layers = alt.layer(
        base.mark_line(strokeWidth=2).encode(strokeDash=dashes),
        base.mark_point(filled=True, size=90).encode(shape=shapes),
    )
    return configured(layers, WIDTH, 240, LEGEND_PADDING)


def default_rate_by_month_chart(run: PerformanceRun) -> Chart:
    """Default rate of followed and of overridden decisions, per month (two shapes, two dashes)."""
    followed, overrides = run.followed or {}, run.overrides or {}
    summary = _(
        "Over the whole period, %(followed_rate)s of the applications decided as the model "
        "recommended defaulted (%(followed_count)s), against %(overridden_rate)s of the "
        "overridden ones (%(overridden_count)s).",
        followed_rate=_figure(followed.get("default_rate")),
        followed_count=amount(followed.get("n", 0)),
        overridden_rate=_figure(overrides.get("default_rate")),
        overridden_count=amount(overrides.get("n", 0)),
    )
    table = Table(
        _("Default rate per month, followed and overridden decisions"),
        [_("Month"), _("Followed: applications"), _("Followed: default rate"),
         _("Overridden: applications"), _("Overridden: default rate")],
        [
            [
                m["month"],
                amount(m["followed"]["n"]),
                _figure(m["followed"]["default_rate"]),
                amount(m["overrides"]["n"]),
                _figure(m["overrides"]["default_rate"]),
            ]
            for m in run.by_month
        ],
    )  # fmt: skip
    title = _("Default rate by month: followed and overridden decisions")
    return Chart("performance-default-by-month", title, summary, _default_rate_spec(run), table)


def performance_charts(run: PerformanceRun | None, margin: float) -> dict:
    if run is None:
        return {}
    return {
        "calibration_chart": calibration_chart(run),
        "auc_chart": auc_by_month_chart(run, margin),
        "default_chart": default_rate_by_month_chart(run),
    }
