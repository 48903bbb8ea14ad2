"""Charts drawn on the server (app/services/svg.py): real vl-convert, no browser.

The client's marker is stamped on a cached drawing at the place `Frame` computes; these tests
draw the same point with Vega itself and check both land on the same pixel.
"""

import random
import re
import xml.etree.ElementTree as ET

import altair as alt
import pytest

from app.services import charts, svg

SVG_NS = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def app(make_app):
    """No database or model is read: the charts need only a request's language."""
    return make_app(SQLALCHEMY_DATABASE_URI="sqlite://", MODEL_URI="x")


@pytest.fixture
def english(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        yield


@pytest.fixture
def french(app):
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        yield


def _bins():
    return [
        {"start": 10_000.0 * i, "end": 10_000.0 * (i + 1), "count": 5 + 7 * i, "range": str(i)}
        for i in range(10)
    ]


def _vega_point_position(spec: dict, x: float, y: float | None) -> tuple[float, float]:
    """Where Vega itself draws a point at (x, y) on this spec's scales (the drawing's pixels)."""
    point = {"x": x, "y": 0.0 if y is None else y}
    layer = dict(spec["layer"][0])
    encoding = layer["encoding"]
    probe = {
        "data": {"values": [point]},
        "mark": {"type": "point", "shape": "square", "filled": True, "color": "#00ff00"},
        "encoding": {
            "x": {"field": "x", "type": "quantitative", "scale": encoding["x"]["scale"]},
            "y": {
                "field": "y",
                "type": "quantitative",
                "scale": encoding.get("y", {}).get("scale", {"domain": [0, 1], "nice": False}),
            },
        },
    }
    drawn = svg.draw({**spec, "layer": [*spec["layer"], probe]}, "en")
    found = re.search(
        r'<path transform="translate\(([-\d.]+),([-\d.]+)\)"[^>]*fill="#00ff00"', drawn
    )
    group = re.search(r'<g fill="none" transform="translate\(([-\d.]+),([-\d.]+)\)"', drawn)
    return (
        float(found.group(1)) + float(group.group(1)),
        float(found.group(2)) + float(group.group(2)),
    )


def test_histogram_marker_lands_where_vega_draws_the_value(english):
    chart = charts.histogram_chart(_bins(), 42_000.0, "Credit amount", "s", "distribution")
    x, _ = _vega_point_position(chart.spec, 42_000.0, None)
    assert chart.frame.x(42_000.0) == pytest.approx(x, abs=0.6)


def test_scatter_marker_lands_where_vega_draws_the_point(english):
    rng = random.Random(7)
    points = [{"x": rng.uniform(0, 90_000), "y": rng.uniform(1e5, 9e5)} for _ in range(300)]
    table = charts.Table("c", [], [])
    chart = charts.scatter_chart(points, {"x": 30_000.0, "y": 5e5}, ("A", "B"), "s", table)
    x, y = _vega_point_position(chart.spec, 30_000.0, 5e5)
    assert chart.frame.x(30_000.0) == pytest.approx(x, abs=0.6)
    assert chart.frame.y(5e5) == pytest.approx(y, abs=0.6)


def test_inline_svg_is_an_accessible_image_sized_in_em(english):
    chart = charts.gauge_chart(0.234, 0.1)
    root = ET.fromstring(str(chart.svg))
    assert root.get("role") == "img"
    title = root.find(f"{SVG_NS}title")
    desc = root.find(f"{SVG_NS}desc")
    assert root.get("aria-labelledby") == title.get("id") == "gauge-svg-title"
    assert root.get("aria-describedby") == desc.get("id") == "gauge-svg-desc"
    assert title.text == "Risk compared with the threshold"
    assert desc.text == chart.summary
    width, height = (float(v) for v in root.get("viewBox").split()[2:])
    assert root.get("width") == f"{width / charts.FONT_PX:.2f}em"
    assert root.get("height") == f"{height / charts.FONT_PX:.2f}em"
    texts = [t.text for t in root.iter(f"{SVG_NS}text")]
    assert "Refusal threshold 10.0%" in texts and "This client 23.4%" in texts
    assert "Accepted zone" in texts and "Refused zone" in texts  # the legend: words, not colour


def test_ids_inside_drawings_are_unique_per_chart(english):
    clipped = alt.Chart(alt.Data(values=[{"x": 1, "y": 2}])).mark_point(clip=True)
    spec = charts.configured(
        clipped.encode(x="x:Q", y="y:Q"), 200, 100, {"left": 40, "top": 8, "right": 8, "bottom": 40}
    )
    table = charts.Table("c", [], [])
    one, two = (charts.Chart(name, "T", "S", spec, table) for name in ("one", "two"))
    ids = re.findall(r'id="([^"]+)"', str(one.svg) + str(two.svg))
    assert len(ids) == len(set(ids)) > 4
    for match in re.findall(r"url\(#([^)]+)\)", str(one.svg)):
        assert match.startswith("one-svg-") and f'id="{match}"' in str(one.svg)


def test_a_population_is_drawn_once_for_every_client(english):
    svg.clear_cache()
    before = svg.cache_stats()
    for value in (12_000.0, 55_000.0, 81_000.0):
        chart = charts.histogram_chart(_bins(), value, "Credit amount", "s", "distribution")
        marker_x = f'x1="{chart.frame.x(value):.1f}"'
        assert marker_x in str(chart.svg)
    after = svg.cache_stats()
    assert after["drawn"] - before["drawn"] == 1
    assert after["reused"] - before["reused"] == 2


def test_a_scatter_population_is_one_path(english):
    rng = random.Random(11)
    points = [{"x": rng.random(), "y": rng.random()} for _ in range(2000)]
    chart = charts.scatter_chart(points, None, ("A", "B"), "s", charts.Table("c", [], []))
    drawing = str(chart.svg)
    population = max(re.findall(r'<path d="([^"]+)"', drawing), key=len)
    assert population.count("M") == 2000
    assert len(drawing) < 130_000


def test_axes_speak_the_page_language(french):
    chart = charts.histogram_chart(_bins(), None, "Montant du crédit", "s", "distribution")
    texts = [t.text for t in ET.fromstring(str(chart.svg)).iter(f"{SVG_NS}text")]
    assert "40\u202f000" in texts  # French grouping, as Babel writes it in the page text
    assert "Nombre de clients" in texts


def test_every_drawing_differs_by_language(app):
    spec = charts.configured(
        alt.Chart(alt.Data(values=[{"x": 1234.5}])).mark_point().encode(x="x:Q"),
        200,
        100,
        {"left": 10, "top": 10, "right": 10, "bottom": 40},
    )
    assert svg.draw(spec, "en") != svg.draw(spec, "fr")


def _marker_words(chart) -> tuple[float, float, str]:
    marker = re.search(
        r'<g class="chart__marker">.*?<text x="([\d.]+)" y="([-\d.]+)"[^>]*>', str(chart.svg)
    )
    return float(marker.group(1)), float(marker.group(2)), marker.group(0)


def test_the_clients_words_sit_where_they_cover_nothing(english):
    histogram = charts.histogram_chart(_bins(), 42_000.0, "Credit amount", "s", "distribution")
    x, y, _ = _marker_words(histogram)
    assert y < histogram.frame.padding["top"]  # above the bars, beside the rule
    assert x > histogram.frame.x(42_000.0)  # to the right: the left half of the plot
    gauge = charts.gauge_chart(0.05, 0.1)
    x, y, _ = _marker_words(gauge)
    assert y < charts.GAUGE_FRAME.padding["top"] and x < gauge.frame.x(5.0)  # away from the rule
    points = [{"x": float(i), "y": float(i)} for i in range(100)]
    scatter = charts.scatter_chart(
        points, {"x": 90.0, "y": 50.0}, ("A", "B"), "s", charts.Table("c", [], [])
    )
    x, y, words = _marker_words(scatter)
    assert 'text-anchor="end"' in words and x < scatter.frame.x(90.0)
    assert y < scatter.frame.y(50.0)
