"""Altair chart specs for the advisor pages, each with a text summary and a data table.

Charts are built from small, pre-aggregated data (histogram bins, a sampled scatter), so a page
stays fast; `to_dict(validate=False)` skips the JSON-schema pass at request time (the tests
validate every builder once). Colours pass 4.5:1 on white and every series also differs by
shape or label, so colour never carries meaning alone.
"""

from dataclasses import dataclass, field
from functools import lru_cache

import altair as alt

from app.services.formatting import percent

INK = "#1b1f24"
NAVY = "#123c73"
RED = "#a3161a"
GREEN = "#1a6630"
GREY = "#4a5360"
ORANGE = "#8a4b00"
CLIENT_SHAPE = "diamond"


@dataclass
class Table:
    caption: str
    columns: list[str]
    rows: list[list[str]]


@dataclass
class Chart:
    """What a template needs: an id for the container, heading, summary, spec and table."""

    id: str
    title: str
    summary: str
    spec: dict
    table: Table
    extra: dict = field(default_factory=dict)


def _config(chart: alt.TopLevelMixin, height: int = 220, validate: bool = False) -> dict:
    """Common accessible config: dark text, readable sizes, full container width."""
    chart = (
        chart.properties(width="container", height=height)
        .configure_axis(
            labelColor=INK, titleColor=INK, labelFontSize=13, titleFontSize=13, gridColor="#d5d9df"
        )
        .configure_legend(labelColor=INK, titleColor=INK, labelFontSize=13, titleFontSize=13)
        .configure_text(color=INK, fontSize=13)
        .configure_view(stroke=None)
    )
    return chart.to_dict(validate=validate)


def with_data(template: dict, datasets: dict[str, list]) -> dict:
    """A cached chart template with this request's data as named datasets (no Altair work)."""
    return {**template, "datasets": datasets}


def gauge_chart(probability: float, threshold: float, chart_id: str = "gauge") -> Chart:
    """Bullet chart: 0–100% risk scale, the two decision zones, the threshold and the client."""
    datasets = {
        "zones": [
            {"zone": "Accepted zone", "start": 0, "end": 100 * threshold},
            {"zone": "Refused zone", "start": 100 * threshold, "end": 100},
        ],
        "marks": [
            {"what": "Refusal threshold", "value": round(100 * threshold, 1)},
            {"what": "This client", "value": round(100 * probability, 1)},
        ],
    }
    spec = with_data(_gauge_template(), datasets)
    summary = (
        f"The client's probability of default is {percent(probability)}; "
        f"the refusal threshold is {percent(threshold)}."
    )
    table = Table(
        "Client's risk and the refusal threshold",
        ["Measure", "Probability of default"],
        [["This client", percent(probability)], ["Refusal threshold", percent(threshold)]],
    )
    return Chart(chart_id, "Risk compared with the threshold", summary, spec, table)


@lru_cache(maxsize=1)
def _gauge_template() -> dict:
    zones, marks = alt.Data(name="zones"), alt.Data(name="marks")
    x = alt.X("start:Q", scale=alt.Scale(domain=[0, 100]), title="Probability of default (%)")
    band = (
        alt.Chart(zones)
        .mark_bar(height=36, stroke=INK, strokeWidth=1)
        .encode(
            x=x,
            x2="end:Q",
            fill=alt.Fill(
                "zone:N",
                scale=alt.Scale(
                    domain=["Accepted zone", "Refused zone"], range=["#e8f4ea", "#fbeaea"]
                ),
                legend=alt.Legend(title=None, orient="bottom"),
            ),
            tooltip=[alt.Tooltip("zone:N", title="Zone")],
        )
    )
    rule = (
        alt.Chart(marks)
        .transform_filter(alt.datum.what == "Refusal threshold")
        .mark_rule(color=INK, strokeWidth=3, strokeDash=[6, 3])
        .encode(
            x="value:Q",
            tooltip=[alt.Tooltip("what:N", title=" "), alt.Tooltip("value:Q", title="%")],
        )
    )
    client = (
        alt.Chart(marks)
        .transform_filter(alt.datum.what == "This client")
        .mark_point(shape=CLIENT_SHAPE, size=320, filled=True, color=NAVY, stroke="#fff")
        .encode(
            x="value:Q",
            tooltip=[alt.Tooltip("what:N", title=" "), alt.Tooltip("value:Q", title="%")],
        )
    )
    # The threshold is labelled above the bar and the client below it, so they never overlap.
    labels = [
        alt.Chart(marks)
        .transform_filter(alt.datum.what == what)
        .transform_calculate(label="datum.what + ' ' + format(datum.value, '.1f') + '%'")
        .mark_text(dy=dy, fontWeight="bold", color=color)
        .encode(x="value:Q", text=alt.Text("label:N"))
        for what, dy, color in (("Refusal threshold", -30, INK), ("This client", 30, NAVY))
    ]
    return _config(alt.layer(band, rule, client, *labels), height=130)


def histogram_chart(
    bins: list[dict], client_value: float | None, label: str, summary: str, chart_id: str
) -> Chart:
    """Distribution (pre-binned: start, end, count) with the client marked by shape and label."""
    datasets = {"bins": bins}
    if client_value is not None:
        datasets["client"] = [{"value": client_value, "what": "This client"}]
    spec = with_data(_histogram_template(label, client_value is not None), datasets)
    table = Table(
        f"Clients per range of {label.lower()}",
        [label, "Number of clients"],
        [[b["range"], f"{b['count']:,}"] for b in bins],
    )
    return Chart(chart_id, f"Distribution of {label.lower()}", summary, spec, table)


@lru_cache(maxsize=64)
def _histogram_template(label: str, with_client: bool) -> dict:
    hover = alt.selection_point(on="pointerover", fields=["start"], empty=False)
    bars = (
        alt.Chart(alt.Data(name="bins"))
        .mark_bar(stroke="#fff", strokeWidth=1)
        .encode(
            x=alt.X("start:Q", bin="binned", title=label),
            x2="end:Q",
            y=alt.Y("count:Q", title="Number of clients"),
            color=alt.condition(hover, alt.value(ORANGE), alt.value(NAVY)),
            tooltip=[
                alt.Tooltip("range:N", title=label),
                alt.Tooltip("count:Q", title="Clients", format=","),
            ],
        )
        .add_params(hover)
    )
    layers = [bars, *(_client_marker_x(label) if with_client else [])]
    return _config(alt.layer(*layers))


def _client_marker_x(label: str) -> list:
    """A vertical rule, a diamond and the words 'This client' at the client's value."""
    base = alt.Chart(alt.Data(name="client")).encode(
        x="value:Q",
        tooltip=[
            alt.Tooltip("what:N", title=" "),
            alt.Tooltip("value:Q", title=label, format=",.2f"),
        ],
    )
    return [
        base.mark_rule(color=RED, strokeWidth=3, strokeDash=[4, 2]),
        base.mark_point(shape=CLIENT_SHAPE, size=260, filled=True, color=RED).encode(
            y=alt.datum(0)
        ),
        base.mark_text(align="left", dx=6, dy=-8, fontWeight="bold", color=RED, y=0).encode(
            text="what:N"
        ),
    ]


def scatter_chart(
    points: list[dict],
    client: dict | None,
    labels: tuple[str, str],
    summary: str,
    table: Table,
    chart_id: str = "scatter",
) -> Chart:
    """Two variables for a population sample (hollow circles) and the client (filled diamond)."""
    datasets = {"points": points}
    if client is not None:
        datasets["client"] = [{**client, "what": "This client"}]
    spec = with_data(_scatter_template(*labels, client is not None), datasets)
    title = f"{labels[1]} against {labels[0].lower()}"
    return Chart(chart_id, title, summary, spec, table)


@lru_cache(maxsize=256)
def _scatter_template(x_label: str, y_label: str, with_client: bool) -> dict:
    zoom = alt.selection_interval(bind="scales")
    population = (
        alt.Chart(alt.Data(name="points"))
        .mark_point(shape="circle", size=30, color=NAVY, strokeWidth=1)
        .encode(
            x=alt.X("x:Q", title=x_label, scale=alt.Scale(zero=False)),
            y=alt.Y("y:Q", title=y_label, scale=alt.Scale(zero=False)),
            tooltip=[
                alt.Tooltip("x:Q", title=x_label, format=",.2f"),
                alt.Tooltip("y:Q", title=y_label, format=",.2f"),
            ],
        )
        .add_params(zoom)
    )
    layers = [population]
    if with_client:
        mark = alt.Chart(alt.Data(name="client")).encode(
            x="x:Q",
            y="y:Q",
            tooltip=[
                alt.Tooltip("what:N", title=" "),
                alt.Tooltip("x:Q", title=x_label, format=",.2f"),
                alt.Tooltip("y:Q", title=y_label, format=",.2f"),
            ],
        )
        label = {"align": "left", "dx": 12, "dy": -12, "fontWeight": "bold", "fontSize": 14}
        layers += [
            mark.mark_point(shape=CLIENT_SHAPE, size=380, filled=True, color=RED, stroke="#fff"),
            # A white outline under the red words keeps them readable over dense points.
            mark.mark_text(**label, stroke="#fff", strokeWidth=4, text="This client"),
            mark.mark_text(**label, color=RED, text="This client"),
        ]
    return _config(alt.layer(*layers), height=300)


def bar_chart(
    rows: list[dict], value_title: str, title: str, summary: str, table: Table, chart_id: str
) -> Chart:
    """Horizontal bars (label, value) sorted by value; used for global importance."""
    chart = (
        alt.Chart(alt.Data(name="bars"))
        .mark_bar(color=NAVY)
        .encode(
            y=alt.Y("label:N", sort="-x", title=None, axis=alt.Axis(labelLimit=260)),
            x=alt.X("value:Q", title=value_title),
            tooltip=[
                alt.Tooltip("label:N", title=" "),
                alt.Tooltip("value:Q", title=value_title, format=".3f"),
            ],
        )
    )
    spec = with_data(_config(chart, height=max(120, 26 * len(rows))), {"bars": rows})
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
    nearest = alt.selection_point(on="pointerover", nearest=True, fields=["x"], empty=False)
    base = alt.Chart(alt.Data(name="points")).encode(
        x=alt.X("x:Q", title=axis_titles[0]), y=alt.Y("y:Q", title=axis_titles[1])
    )
    layers = [
        base.mark_line(color=NAVY, strokeWidth=2),
        base.mark_point(shape="circle", filled=True, color=NAVY)
        .encode(
            size=alt.condition(nearest, alt.value(160), alt.value(30)),
            tooltip=[
                alt.Tooltip("x:Q", title=axis_titles[0], format=".3f"),
                alt.Tooltip("y:Q", title=axis_titles[1], format=".3f"),
            ],
        )
        .add_params(nearest),
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
    spec = with_data(_config(alt.layer(*layers), height=260), datasets)
    return Chart(chart_id, title, summary, spec, table)
