"""Altair chart specs for the advisor pages, each with a text summary and a data table.

The server draws every spec as SVG (app/services/svg.py) and caches the drawing by spec and
language. What is specific to one client (its position on the gauge, the histogram, the
scatter) is not in the spec: it is a `Marker` stamped on the cached drawing at the place the
chart's `Frame` (explicit domains, fixed plot area) gives it, so a population drawn once serves
every client. Colours pass 4.5:1 on white and every series also differs by shape or words, so
colour never carries meaning alone. Words come in the page's language (gettext), numbers in
its format (the axes through the d3 locale svg.py passes to Vega).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

import altair as alt
from flask_babel import gettext as _
from markupsafe import Markup

from app.services.formatting import amount, percent

INK = "#1b1f24"
NAVY = "#123c73"
RED = "#a3161a"
GREEN = "#1a6630"
GREY = "#4a5360"
ORANGE = "#8a4b00"
GRID = "#d5d9df"
CLIENT_SHAPE = "diamond"
FONT_PX = 13  # text size in the drawing; svg.py sizes the drawing so this is the page's 1em
WIDTH = 380  # plot width: on a 390 px phone the drawing keeps ~11 px text; 30 em on a desktop


@dataclass
class Table:
    caption: str
    columns: list[str]
    rows: list[list[str]]


@dataclass(frozen=True)
class Frame:
    """Where the plot area sits in the drawing and which values its edges stand for."""

    width: int
    height: int
    padding: dict  # left, top, right, bottom: room for the axes, titles and legend
    x_domain: tuple[float, float]
    y_domain: tuple[float, float] | None = None  # None: the marker sits on the x axis

    def x(self, value: float) -> float:
        low, high = self.x_domain
        share = (value - low) / (high - low) if high > low else 0.5
        return self.padding["left"] + min(max(share, 0.0), 1.0) * self.width

    def y(self, value: float | None) -> float:
        bottom = self.padding["top"] + self.height
        if value is None or self.y_domain is None:
            return bottom
        low, high = self.y_domain
        share = (value - low) / (high - low) if high > low else 0.5
        return bottom - min(max(share, 0.0), 1.0) * self.height

    def contains(self, x: float, y: float | None = None) -> bool:
        inside_x = self.x_domain[0] <= x <= self.x_domain[1]
        inside_y = y is None or self.y_domain is None or self.y_domain[0] <= y <= self.y_domain[1]
        return inside_x and inside_y


@dataclass(frozen=True)
class Marker:
    """The client on a chart: a red diamond (and a dashed rule) with words beside it."""

    x: float
    y: float | None
    label: str
    rule: bool = True
    anchor: str | None = None  # where the words sit: "start", "end"; None: svg.py decides


@dataclass
class Chart:
    """What a template needs: an id, heading, summary, spec, table, and the client's marker."""

    id: str
    title: str
    summary: str
    spec: dict
    table: Table
    frame: Frame | None = None
    marker: Marker | None = None
    extra: dict = field(default_factory=dict)

    @cached_property
    def svg(self) -> Markup:
        """The chart as inline, accessible SVG (drawn once per spec and language)."""
        from app.services.svg import inline

        return inline(self)


def padding(left=64, top=12, right=24, bottom=48) -> dict:
    return {"left": left, "top": top, "right": right, "bottom": bottom}


def configured(chart, width: int, height: int, padding: dict, validate: bool = False) -> dict:
    """Common accessible config: dark text at FONT_PX, a fixed plot area (see Frame)."""
    chart = (
        chart.properties(
            width=width,
            height=height,
            autosize=alt.AutoSizeParams(type="none"),
            padding=padding,
        )
        .configure(aria=False, font="sans-serif")
        .configure_axis(
            labelColor=INK,
            titleColor=INK,
            labelFontSize=FONT_PX,
            titleFontSize=FONT_PX,
            gridColor=GRID,
            domainColor=GREY,
            tickColor=GREY,
        )
        .configure_legend(
            labelColor=INK, titleColor=INK, labelFontSize=FONT_PX, titleFontSize=FONT_PX
        )
        .configure_text(color=INK, fontSize=FONT_PX)
        .configure_view(stroke=None)
    )
    return chart.to_dict(validate=validate)


def with_data(template: dict, datasets: dict[str, list]) -> dict:
    """A cached chart template with this request's data as named datasets (no Altair work)."""
    return {**template, "datasets": datasets}


def _with_x_domain(template: dict, domain: tuple[float, float]) -> dict:
    """The template with an explicit x domain on its first layer (the one with the x axis)."""
    layers = [dict(layer) for layer in template["layer"]]
    encoding = dict(layers[0]["encoding"])
    encoding["x"] = {**encoding["x"], "scale": {"domain": list(domain), "nice": False}}
    layers[0]["encoding"] = encoding
    return {**template, "layer": layers}


# --- The client's risk against the threshold -----------------------------------------------------


# Two rows of words above the bar (the threshold, then the client), the axis and legend below.
GAUGE_FRAME = Frame(WIDTH, 44, padding(left=24, top=52, right=24, bottom=86), (0.0, 100.0))


def gauge_chart(probability: float, threshold: float, chart_id: str = "gauge") -> Chart:
    """Bullet chart: 0-100% risk scale, the two decision zones, the threshold and the client."""
    accepted, refused = _("Accepted zone"), _("Refused zone")
    threshold_words = _("Refusal threshold %(value)s", value=percent(threshold))
    datasets = {
        "zones": [
            {"zone": accepted, "start": 0, "end": 100 * threshold},
            {"zone": refused, "start": 100 * threshold, "end": 100},
        ],
        "threshold": [{"value": round(100 * threshold, 1), "label": threshold_words}],
    }
    labels = (accepted, refused, _("Probability of default (%)"))
    spec = with_data(_gauge_template(labels, threshold < 0.5), datasets)
    summary = _(
        "The client's probability of default is %(probability)s; "
        "the refusal threshold is %(threshold)s.",
        probability=percent(probability),
        threshold=percent(threshold),
    )
    this_client = _("This client")
    table = Table(
        _("Client's risk and the refusal threshold"),
        [_("Measure"), _("Probability of default")],
        [[this_client, percent(probability)], [_("Refusal threshold"), percent(threshold)]],
    )
    # The client's words run away from the threshold's rule, and never off the right edge.
    anchor = "end" if probability < threshold or probability > 0.6 else "start"
    words = f"{this_client} {percent(probability)}"
    marker = Marker(100 * probability, None, words, rule=False, anchor=anchor)
    return Chart(
        chart_id, _("Risk compared with the threshold"), summary, spec, table, GAUGE_FRAME, marker
    )


@lru_cache(maxsize=16)
def _gauge_template(labels: tuple[str, str, str], words_right_of_rule: bool) -> dict:
    accepted, refused, axis_title = labels
    scale = alt.Scale(domain=[0, 100], nice=False)
    band = (
        alt.Chart(alt.Data(name="zones"))
        .mark_bar(stroke=INK, strokeWidth=1)
        .encode(
            x=alt.X("start:Q", scale=scale, title=axis_title),
            x2="end:Q",
            fill=alt.Fill(
                "zone:N",
                scale=alt.Scale(domain=[accepted, refused], range=["#e8f4ea", "#fbeaea"]),
                legend=alt.Legend(title=None, orient="bottom", symbolStrokeColor=INK),
            ),
        )
    )
    rule = alt.Chart(alt.Data(name="threshold")).encode(x="value:Q")
    # The threshold is named on the first row above the bar; the client's marker and words
    # (svg.py) take the second row, so the two never overlap.
    layers = [
        band,
        rule.mark_rule(color=INK, strokeWidth=3, strokeDash=[6, 3], y=-30, y2=GAUGE_FRAME.height),
        rule.mark_text(
            y=-36,
            dx=6 if words_right_of_rule else -6,
            align="left" if words_right_of_rule else "right",
            fontWeight="bold",
            color=INK,
        ).encode(text="label:N"),
    ]
    return configured(
        alt.layer(*layers), GAUGE_FRAME.width, GAUGE_FRAME.height, GAUGE_FRAME.padding
    )


# --- A population and the client ----------------------------------------------------------------


HISTOGRAM_PADDING = padding(left=72, top=28, right=28, bottom=48)


def histogram_chart(
    bins: list[dict], client_value: float | None, label: str, summary: str, chart_id: str
) -> Chart:
    """Distribution (pre-binned: start, end, count) with the client marked by shape and words."""
    domain = (bins[0]["start"], bins[-1]["end"]) if bins else (0.0, 1.0)
    frame = Frame(WIDTH, 220, HISTOGRAM_PADDING, domain)
    titles = (label, _("Number of clients"))
    spec = with_data(_with_x_domain(_histogram_template(titles), domain), {"bins": bins})
    table = Table(
        _("Clients per range of %(variable)s", variable=label.lower()),
        [label, _("Number of clients")],
        [[b["range"], amount(b["count"])] for b in bins],
    )
    marker = None
    if client_value is not None and bins:
        marker = _client_marker(frame, client_value, None)
    title = _("Distribution of %(variable)s", variable=label.lower())
    return Chart(chart_id, title, summary, spec, table, frame, marker)


def quantitative_axes(x: str, y: str, titles: tuple[str, str], **x_options) -> dict:
    """The x and y encodings of a chart of two quantities, five ticks on each axis."""
    return {
        "x": alt.X(x, title=titles[0], axis=alt.Axis(tickCount=5), **x_options),
        "y": alt.Y(y, title=titles[1], axis=alt.Axis(tickCount=5)),
    }


@lru_cache(maxsize=64)
def _histogram_template(titles: tuple[str, str]) -> dict:
    bars = (
        alt.Chart(alt.Data(name="bins"))
        .mark_bar(stroke="#fff", strokeWidth=1, color=NAVY)
        .encode(x2="end:Q", **quantitative_axes("start:Q", "count:Q", titles, bin="binned"))
    )
    return configured(alt.layer(bars), WIDTH, 220, HISTOGRAM_PADDING)


def _client_marker(frame: Frame, x: float, y: float | None) -> Marker:
    """'This client', or 'This client (off the scale)' when the value is outside the domain."""
    label = _("This client") if frame.contains(x, y) else _("This client (off the scale)")
    return Marker(x, y, label, rule=y is None)


SCATTER_PADDING = padding(left=80, top=16, right=28, bottom=48)
EDGE_SHARE = 0.01  # the scatter's axes leave out the 1% most extreme clients at each end


def _clamped(domain: tuple[float, float]) -> dict:
    return {"domain": list(domain), "nice": False, "clamp": True}


def nice_domain(values: list[float], ticks: int = 5, share: float = 0.0) -> tuple[float, float]:
    """[low, high] rounded outwards to a round step (1, 2 or 5 x 10^k), about `ticks` steps;
    `share` of the values at each end may fall outside (they are drawn on the edge)."""
    finite = sorted(v for v in values if v is not None and math.isfinite(v))
    if not finite:
        return (0.0, 1.0)
    cut = int(share * (len(finite) - 1))
    low, high = finite[cut], finite[len(finite) - 1 - cut]
    if high <= low:
        return (low - 1.0, high + 1.0)
    raw = (high - low) / ticks
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    return (math.floor(low / step) * step, math.ceil(high / step) * step)


def scatter_chart(
    points: list[dict],
    client: dict | None,
    labels: tuple[str, str],
    summary: str,
    table: Table,
    chart_id: str = "scatter",
) -> Chart:
    """Two variables for a population sample (hollow circles) and the client (filled diamond).

    The axes span the 1st to 99th percentile, as the histogram's bins do: the few extreme
    clients are drawn on the edge rather than squeezing everyone else into a corner."""
    x_domain = nice_domain([p["x"] for p in points], share=EDGE_SHARE)
    y_domain = nice_domain([p["y"] for p in points], share=EDGE_SHARE)
    frame = Frame(WIDTH, 300, SCATTER_PADDING, x_domain, y_domain)
    template = _scatter_template(labels)
    layer = dict(template["layer"][0])
    layer["encoding"] = {
        **layer["encoding"],
        "x": {**layer["encoding"]["x"], "scale": _clamped(x_domain)},
        "y": {**layer["encoding"]["y"], "scale": _clamped(y_domain)},
    }
    spec = with_data({**template, "layer": [layer]}, {"points": points})
    marker = None
    if client is not None:
        marker = _client_marker(frame, client["x"], client["y"])
    title = _("%(y)s against %(x)s", y=labels[1], x=labels[0].lower())
    return Chart(chart_id, title, summary, spec, table, frame, marker)


@lru_cache(maxsize=256)
def _scatter_template(labels: tuple[str, str]) -> dict:
    population = (
        alt.Chart(alt.Data(name="points"))
        .mark_point(shape="circle", size=30, color=NAVY, strokeWidth=1, opacity=0.75)
        .encode(**quantitative_axes("x:Q", "y:Q", labels))
    )
    return configured(alt.layer(population), WIDTH, 300, SCATTER_PADDING)
