"""History charts of the monitoring page (Altair), each with a text summary and a data table.

Built from stored run summaries only, never from the reports, so the page stays fast. Every
series is drawn with points as well as a line, and limits are dashed and labelled in text, so
colour never carries meaning alone.
"""

from __future__ import annotations

import altair as alt

from app.models import DriftRun, as_utc
from app.services.charts import INK, NAVY, ORANGE, Chart, Table
from app.services.formatting import percent

_cache: dict[tuple, dict] = {}


def history_charts(runs: list[DriftRun], alert_share: float) -> dict:
    """Both history charts, built once per set of runs: stored runs never change, and Altair
    takes ~70 ms a chart, which would otherwise be most of the page's time."""
    if not runs:
        return {"share_chart": None, "probability_chart": None}
    # Ids alone repeat across databases (tests, a reset production db): key on time too.
    key = (tuple((r.id, r.created_at) for r in runs), alert_share)
    built = _cache.get(key)
    if built is None:
        built = {
            "share_chart": drift_share_chart(runs, alert_share),
            "probability_chart": mean_probability_chart(runs),
        }
        _cache.clear()  # one entry: the latest history is the only one pages ask for
        _cache[key] = built
    return built


def _when(run: DriftRun) -> str:
    return as_utc(run.created_at).strftime("%Y-%m-%d %H:%M UTC")


def _configured(chart, height: int = 240) -> dict:
    chart = (
        chart.properties(width="container", height=height)
        .configure_axis(labelColor=INK, titleColor=INK, labelFontSize=13, titleFontSize=13)
        .configure_view(stroke=None)
    )
    return chart.to_dict(validate=False)


def _history_line(values: list[dict], field: str, title: str, limit: dict | None):
    base = alt.Chart(alt.Data(values=values)).encode(
        x=alt.X("when:T", title="Run date (UTC)", axis=alt.Axis(format="%d %b", labelOverlap=True)),
        y=alt.Y(f"{field}:Q", title=title, axis=alt.Axis(format="%")),
        tooltip=[
            alt.Tooltip("label:N", title="Run"),
            alt.Tooltip(f"{field}:Q", title=title, format=".1%"),
            alt.Tooltip("source:N", title="Compared"),
        ],
    )
    layers = [
        base.mark_line(color=NAVY, strokeWidth=2),
        base.mark_point(color=NAVY, filled=True, size=70),
    ]
    if limit is not None:
        rule = alt.Chart(alt.Data(values=[limit])).encode(y="value:Q")
        layers.append(rule.mark_rule(color=ORANGE, strokeDash=[6, 4], strokeWidth=2))
        layers.append(
            rule.mark_text(align="left", dx=4, dy=-8, color=INK).encode(
                text="label:N", x=alt.value(0)
            )
        )
    return alt.layer(*layers)


def _points(runs: list[DriftRun], field: str, attribute: str) -> list[dict]:
    """One chart point per run: when, its label, the value plotted and what was compared."""
    return [
        {
            "when": as_utc(r.created_at).isoformat(),
            "label": _when(r),
            field: getattr(r, attribute),
            "source": r.source_detail,
        }
        for r in runs
    ]


def _runs_table(caption: str, columns: list[str], runs: list[DriftRun], cells) -> Table:
    """One row per run, newest first: when, what was compared, then `cells(run)`."""
    rows = [[_when(r), r.source_detail, *cells(r)] for r in reversed(runs)]
    return Table(caption, ["Run (UTC)", "Compared", *columns], rows)


def drift_share_chart(runs: list[DriftRun], alert_share: float) -> Chart:
    """Share of drifted columns per run, with the alert limit."""
    values = _points(runs, "share", "drift_share")
    limit = {"value": alert_share, "label": f"Alert limit {percent(alert_share, 0)}"}
    spec = _configured(_history_line(values, "share", "Share of drifted characteristics", limit))
    above = sum(r.drift_share >= alert_share for r in runs)
    summary = (
        f"{len(runs)} runs; the share of drifted characteristics went from "
        f"{percent(runs[0].drift_share, 0)} to {percent(runs[-1].drift_share, 0)}; "
        f"{above} of them reached the alert limit of {percent(alert_share, 0)}."
    )
    table = _runs_table(
        "Drift share per run",
        ["Drifted characteristics", "Share"],
        runs,
        lambda r: [f"{r.drifted_count} of {r.column_count}", percent(r.drift_share, 0)],
    )
    return Chart("drift-share-history", "Drift share over time", summary, spec, table)


def mean_probability_chart(runs: list[DriftRun]) -> Chart | None:
    """Mean predicted probability of default per run, with the training sample's mean."""
    scored = [r for r in runs if r.mean_probability is not None]
    if not scored:
        return None
    values = _points(scored, "mean", "mean_probability")
    reference = scored[-1].mean_probability_reference
    limit = None
    if reference is not None:
        limit = {"value": reference, "label": f"Training sample {percent(reference)}"}
    title = "Mean probability of default"
    spec = _configured(_history_line(values, "mean", title, limit))
    summary = (
        f"{len(scored)} runs; the mean predicted probability of default went from "
        f"{percent(scored[0].mean_probability)} to {percent(scored[-1].mean_probability)}"
        + (f" (training sample: {percent(reference)})." if reference is not None else ".")
    )
    table = _runs_table(
        "Mean predicted probability of default per run",
        ["Mean probability", "Training sample"],
        scored,
        lambda r: [
            percent(r.mean_probability),
            "" if r.mean_probability_reference is None else percent(r.mean_probability_reference),
        ],
    )
    return Chart(
        "mean-probability-history", "Mean predicted probability over time", summary, spec, table
    )
