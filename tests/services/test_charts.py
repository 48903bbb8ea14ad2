"""Chart builders: valid Vega-Lite for the vendored version, client marked, text alternatives."""

import json

import altair as alt
import jsonschema
import pytest
from altair.vegalite.v6.schema import load_schema

from app.services import charts

VALIDATOR = jsonschema.Draft7Validator(load_schema())


def assert_valid(spec: dict) -> None:
    VALIDATOR.validate(spec)
    assert spec["$schema"].endswith(f"/v{alt.SCHEMA_VERSION.lstrip('v')}.json")
    json.dumps(spec)  # embeddable as application/json


def test_vendored_vega_lite_matches_altair():
    from pathlib import Path

    bundle = (Path(__file__).parents[2] / "static/vendor/vega-lite.min.js").read_text()
    assert f'"{alt.SCHEMA_VERSION.lstrip("v")}"' in bundle


def test_gauge_marks_threshold_and_client_in_words():
    chart = charts.gauge_chart(0.234, 0.1)
    assert_valid(chart.spec)
    assert chart.summary == (
        "The client's probability of default is 23.4%; the refusal threshold is 10.0%."
    )
    texts = [layer for layer in chart.spec["layer"] if layer["mark"]["type"] == "text"]
    assert [t["mark"]["dy"] for t in texts] == [-30, 30]  # threshold above, client below
    assert chart.table.rows == [["This client", "23.4%"], ["Refusal threshold", "10.0%"]]
    shapes = [
        layer["mark"].get("shape")
        for layer in chart.spec["layer"]
        if isinstance(layer["mark"], dict)
    ]
    assert charts.CLIENT_SHAPE in shapes


def test_histogram_has_tooltips_selection_and_client_marker():
    bins = [
        {"start": i, "end": i + 1, "count": 10 * i, "range": f"{i} to {i + 1}"} for i in range(5)
    ]
    chart = charts.histogram_chart(bins, 2.5, "Credit amount", "summary", "distribution")
    assert_valid(chart.spec)
    bars = chart.spec["layer"][0]
    assert chart.spec["params"][0]["select"]["on"] == "pointerover"
    assert chart.spec["params"][0]["views"] == [bars["name"]]
    assert {t["title"] for t in bars["encoding"]["tooltip"]} == {"Credit amount", "Clients"}
    assert [layer["data"]["name"] for layer in chart.spec["layer"]] == ["bins"] + ["client"] * 3
    assert chart.spec["datasets"]["client"] == [{"value": 2.5, "what": "This client"}]
    assert chart.spec["datasets"]["bins"] == bins
    assert chart.table.rows[4] == ["4 to 5", "40"]


def test_histogram_without_client_value_has_no_marker():
    chart = charts.histogram_chart([], None, "Age in years", "s", "distribution")
    assert_valid(chart.spec)
    assert len(chart.spec["layer"]) == 1


def test_scatter_zooms_and_marks_client_with_shape_and_label():
    points = [{"x": i, "y": 2 * i} for i in range(50)]
    table = charts.Table("c", ["Variable", "This client", "Median"], [])
    chart = charts.scatter_chart(points, {"x": 3.0, "y": 4.0}, ("Income", "Credit"), "s", table)
    assert_valid(chart.spec)
    assert chart.spec["params"][0]["bind"] == "scales"
    assert chart.spec["layer"][1]["mark"]["shape"] == charts.CLIENT_SHAPE
    assert [layer["mark"].get("text") for layer in chart.spec["layer"][2:]] == ["This client"] * 2
    assert chart.title == "Credit against income"


@pytest.mark.parametrize("diagonal", [True, False])
def test_line_chart_marker_and_diagonal(diagonal):
    points = [{"x": t / 10, "y": (t - 3) ** 2} for t in range(11)]
    table = charts.Table("c", ["x", "y"], [])
    chart = charts.line_chart(
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
    chart = charts.bar_chart(rows, "Mean", "T", "S", charts.Table("c", [], []), "importance")
    assert_valid(chart.spec)
    assert chart.spec["encoding"]["y"]["sort"] == "-x"


def test_axis_text_is_dark_enough():
    spec = charts.gauge_chart(0.2, 0.1).spec
    assert spec["config"]["axis"]["labelColor"] == charts.INK
