"""Chart builders: valid Vega-Lite for the converter's version, client marked, text alternatives."""

import json

import altair as alt
import jsonschema
import pytest
from altair.vegalite.v6.schema import load_schema

from app.services import charts, model_charts, svg

VALIDATOR = jsonschema.Draft7Validator(load_schema())


def assert_valid(spec: dict) -> None:
    VALIDATOR.validate(spec)
    assert spec["$schema"].endswith(f"/v{alt.SCHEMA_VERSION.lstrip('v')}.json")
    json.dumps(spec)


def test_server_renderer_draws_the_vega_lite_altair_writes():
    import vl_convert

    # svg.VEGA_LITE_VERSION is what vl-convert is asked for; Altair's specs must be that version.
    assert alt.SCHEMA_VERSION.lstrip("v").startswith(svg.VEGA_LITE_VERSION + ".")
    assert svg.VEGA_LITE_VERSION in vl_convert.get_vegalite_versions()


def test_gauge_marks_threshold_in_the_spec_and_client_as_a_marker():
    chart = charts.gauge_chart(0.234, 0.1)
    assert_valid(chart.spec)
    assert chart.summary == (
        "The client's probability of default is 23.4%; the refusal threshold is 10.0%."
    )
    texts = [layer for layer in chart.spec["layer"] if layer["mark"]["type"] == "text"]
    assert [t["mark"]["y"] for t in texts] == [-36]  # the threshold's words, above the bar
    assert chart.spec["datasets"]["threshold"] == [
        {"value": 10.0, "label": "Refusal threshold 10.0%"}
    ]
    assert chart.table.rows == [["This client", "23.4%"], ["Refusal threshold", "10.0%"]]
    # The client is not in the spec (one cached drawing serves every client) but a marker.
    assert "23.4" not in json.dumps(chart.spec)
    assert chart.marker == charts.Marker(
        pytest.approx(23.4), None, "This client 23.4%", rule=False, anchor="start"
    )
    below = charts.gauge_chart(0.05, 0.1).marker
    assert below.anchor == "end"  # the words run away from the threshold's rule
    assert chart.frame.x(23.4) == pytest.approx(24 + 0.234 * charts.WIDTH)


def test_gauge_words_stay_inside_the_drawing_for_a_high_threshold():
    low, high = charts.gauge_chart(0.2, 0.1), charts.gauge_chart(0.2, 0.8)
    assert [x["mark"]["align"] for x in low.spec["layer"] if x["mark"]["type"] == "text"] == [
        "left"
    ]
    assert [x["mark"]["align"] for x in high.spec["layer"] if x["mark"]["type"] == "text"] == [
        "right"
    ]


def _bins(n=5):
    return [
        {"start": i, "end": i + 1, "count": 10 * i, "range": f"{i} to {i + 1}"} for i in range(n)
    ]


def test_histogram_has_an_explicit_domain_and_the_client_as_a_marker():
    chart = charts.histogram_chart(_bins(), 2.5, "Credit amount", "summary", "distribution")
    assert_valid(chart.spec)
    bars = chart.spec["layer"][0]
    assert bars["encoding"]["x"]["scale"] == {"domain": [0, 5], "nice": False}
    assert set(chart.spec["datasets"]) == {"bins"}  # the population only, never the client
    assert chart.spec["datasets"]["bins"] == _bins()
    assert chart.table.rows[4] == ["4 to 5", "40"]
    assert chart.marker == charts.Marker(2.5, None, "This client", rule=True)
    assert chart.frame.x(2.5) == pytest.approx(72 + 0.5 * charts.WIDTH)


def test_histogram_marker_outside_the_bins_says_so_and_stays_on_the_edge():
    chart = charts.histogram_chart(_bins(), 99.0, "Credit amount", "s", "distribution")
    assert chart.marker.label == "This client (off the scale)"
    assert chart.frame.x(99.0) == chart.frame.padding["left"] + chart.frame.width


def test_histogram_without_client_value_has_no_marker():
    chart = charts.histogram_chart([], None, "Age in years", "s", "distribution")
    assert_valid(chart.spec)
    assert chart.marker is None


def test_scatter_domains_are_round_and_hold_every_point():
    points = [{"x": i * 1.7, "y": 3 * i + 11} for i in range(50)]
    table = charts.Table("c", ["Variable", "This client", "Median"], [])
    chart = charts.scatter_chart(points, {"x": 3.0, "y": 4.0}, ("Income", "Credit"), "s", table)
    assert_valid(chart.spec)
    scale = chart.spec["layer"][0]["encoding"]
    assert scale["x"]["scale"] == {"domain": [0, 100], "nice": False, "clamp": True}
    assert scale["y"]["scale"] == {"domain": [0, 200], "nice": False, "clamp": True}
    assert chart.marker == charts.Marker(3.0, 4.0, "This client", rule=False)
    assert chart.title == "Credit against income"


@pytest.mark.parametrize(
    ("values", "domain"),
    [([0.13, 0.87], (0.0, 1.0)), ([1234.0, 98765.0], (0.0, 100000.0)), ([5.0, 5.0], (4.0, 6.0))],
)
def test_nice_domain(values, domain):
    assert charts.nice_domain(values) == domain


def test_nice_domain_leaves_the_extremes_on_the_edge():
    values = [float(v) for v in range(1, 200)] + [10_000.0]
    assert charts.nice_domain(values) == (0.0, 10_000.0)
    assert charts.nice_domain(values, share=0.01) == (0.0, 200.0)  # 10,000 sits on the edge


@pytest.mark.parametrize("diagonal", [True, False])
def test_line_chart_marker_and_diagonal(diagonal):
    points = [{"x": t / 10, "y": (t - 3) ** 2} for t in range(11)]
    table = charts.Table("c", ["x", "y"], [])
    chart = model_charts.line_chart(
        points,
        ("Threshold", "Cost"),
        {"x": 0.3, "label": "Chosen"},
        ("T", "S"),
        table,
        "c",
        diagonal,
    )
    assert_valid(chart.spec)
    assert len(chart.spec["layer"]) == (5 if diagonal else 4)


def test_bar_chart_sorted_by_value():
    rows = [{"label": "Age", "value": 0.1}, {"label": "External scores", "value": 0.5}]
    chart = model_charts.bar_chart(rows, "Mean", "T", "S", charts.Table("c", [], []), "importance")
    assert_valid(chart.spec)
    assert chart.spec["encoding"]["y"]["sort"] == "-x"


def test_text_is_dark_and_the_plot_area_fixed():
    spec = charts.gauge_chart(0.2, 0.1).spec
    assert spec["config"]["axis"]["labelColor"] == charts.INK
    assert spec["config"]["aria"] is False  # the whole drawing is one role="img"
    assert spec["autosize"] == {"type": "none"}
    assert spec["padding"] == charts.GAUGE_FRAME.padding
