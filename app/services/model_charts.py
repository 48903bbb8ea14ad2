"""The model page's charts (Altair): global importance as bars, the cost curve and the
calibration as lines with point symbols; drawn as SVG by app/services/svg.py like every chart.

They depend on the model only, so each is drawn once per model and language.
"""

from __future__ import annotations

import altair as alt

from app.services.charts import (
    GREY,
    NAVY,
    RED,
    WIDTH,
    Chart,
    Table,
    configured,
    padding,
    quantitative_axes,
    with_data,
)


def bar_chart(
    rows: list[dict], value_title: str, title: str, summary: str, table: Table, chart_id: str
) -> Chart:
    """Horizontal bars (label, value) sorted by value; used for global importance."""
    chart = (
        alt.Chart(alt.Data(name="bars"))
        .mark_bar(color=NAVY)
        .encode(
            y=alt.Y("label:N", sort="-x", title=None, axis=alt.Axis(labelLimit=290)),
            x=alt.X("value:Q", title=value_title, axis=alt.Axis(tickCount=5)),
        )
    )
    height = max(120, 26 * len(rows))
    room = padding(left=300, top=8, right=24, bottom=48)
    spec = with_data(configured(chart, 300, height, room), {"bars": rows})
    return Chart(chart_id, title, summary, spec, table)


def line_chart(
    points: list[dict],
    axis_titles: tuple[str, str],
    marker: dict | None,
    text: tuple[str, str],
    table: Table,
    chart_id: str,
    diagonal: bool = False,
) -> Chart:
    """A line with point symbols (x, y); optional vertical marker (x, label) and y=x diagonal."""
    title, summary = text
    base = alt.Chart(alt.Data(name="points")).encode(**quantitative_axes("x:Q", "y:Q", axis_titles))
    layers = [
        base.mark_line(color=NAVY, strokeWidth=2),
        base.mark_point(shape="circle", filled=True, color=NAVY, size=30),
    ]
    datasets = {"points": points}
    if diagonal:
        datasets["diagonal"] = [{"x": 0, "y": 0}, {"x": 1, "y": 1}]
        layers.append(
            alt.Chart(alt.Data(name="diagonal"))
            .mark_line(color=GREY, strokeDash=[6, 4])
            .encode(x="x:Q", y="y:Q")
        )
    if marker is not None:
        datasets["marker"] = [marker]
        mark = alt.Chart(alt.Data(name="marker")).encode(x="x:Q")
        layers += [
            mark.mark_rule(color=RED, strokeWidth=3, strokeDash=[4, 2]),
            mark.mark_text(align="left", dx=6, y=8, fontWeight="bold", color=RED).encode(
                text="label:N"
            ),
        ]
    room = padding(left=72, top=12, right=24, bottom=48)
    spec = with_data(configured(alt.layer(*layers), WIDTH, 260, room), datasets)
    return Chart(chart_id, title, summary, spec, table)
