"""Charts drawn on the server: a Vega-Lite spec (built with Altair) becomes inline SVG.

vl-convert (the converter Altair uses to save charts) runs Vega in-process. A drawing is cached
by its spec and language, so a chart that repeats (a population, the model page, the monitoring
history) is drawn once per process; the client's own marker (`charts.Marker`) is then stamped on
the cached drawing at the place the chart's `Frame` gives it, which costs microseconds.

The SVG is sized in em from its viewBox, FONT_PX drawing units to the em: chart text reads at the
page's text size and grows with it (200% text, 200% chart), and `max-width: 100%` (app.css)
shrinks it into a narrow column. It carries `role="img"`, a `<title>` and a `<desc>` (the
chart's heading and summary) named by aria-labelledby / aria-describedby; the summary and the
data table stay beside it on the page.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections import OrderedDict

import vl_convert
from flask import current_app, has_app_context
from markupsafe import Markup, escape

from app.i18n import current_language
from app.services.charts import FONT_PX, RED, Chart, Marker
from app.services.formatting import chart_number_locale

VEGA_LITE_VERSION = "6.4"  # the Vega-Lite of altair.SCHEMA_VERSION (v6.4.x), checked by a test
TIME_LOCALES = {"en": "en-US", "fr": "fr-FR"}
DEFAULT_CACHE_SIZE = 256

_drawings: OrderedDict[str, str] = OrderedDict()
_lock = threading.Lock()
_stats = {"drawn": 0, "reused": 0}

# Vega's SVG carries attributes an inline, role="img" drawing does not need (ARIA on parts that
# assistive tech never sees, empty background paths): dropped, and coordinates cut to 0.1 px.
_NOISE = re.compile(r' (?:aria-[a-z]+|role|pointer-events|stroke-miterlimit)="[^"]*"')
_EMPTY_PATHS = re.compile(
    r'<path class="(?:background|foreground)"[^>]*?d="(?:|M0,0h0v0h0Z)"[^>]*/>'
)
_GEOMETRY = re.compile(r' (d|transform|x|y|x1|x2|y1|y2|width|height|points)="([^"]*)"')
_LONG_NUMBER = re.compile(r"(-?\d+\.\d)\d+")
_ROOT = re.compile(r"<svg [^>]*>")
_VIEWBOX = re.compile(r'viewBox="0 0 ([\d.]+) ([\d.]+)"')
_IDS = re.compile(r'id="([^"]+)"')
# A run of identical circles (a scatter's population) becomes one path: 2,000 points are 1 node
# and ~45 bytes each instead of 2,000 nodes of ~140 bytes.
_CIRCLE = re.compile(
    r'<path transform="translate\(([-\d.]+),([-\d.]+)\)" '
    r'd="M([\d.]+),0A\3,\3,0,1,1,-\3,0A\3,\3,0,1,1,\3,0"( [^>]*)/>'
)
_CIRCLE_RUN = re.compile(rf"(?:{_CIRCLE.pattern}){{2,}}")
_ONE_DECIMAL = r"\1"


def _cache_size() -> int:
    if has_app_context():
        return int(current_app.config.get("CHART_CACHE_SIZE", DEFAULT_CACHE_SIZE))
    return DEFAULT_CACHE_SIZE


def _spec_key(spec: dict, language: str) -> str:
    body = json.dumps(spec, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(f"{language}\n{body}".encode()).hexdigest()


def _short_numbers(match: re.Match) -> str:
    name, value = match.groups()
    return f' {name}="{_LONG_NUMBER.sub(_ONE_DECIMAL, value)}"'


def _merge_circles(run: re.Match) -> str:
    circles = _CIRCLE.findall(run.group(0))
    if len({(radius, style) for _, _, radius, style in circles}) > 1:
        return run.group(0)  # different sizes or colours: each keeps its own element
    radius, style = circles[0][2], circles[0][3]
    arc = f"a{radius},{radius},0,1,1"
    diameter = 2 * float(radius)
    d = "".join(
        f"M{float(x) + float(radius):.1f},{y}{arc},{-diameter:g},0{arc},{diameter:g},0"
        for x, y, _, _ in circles
    )
    return f'<path d="{d}"{style}/>'


def _clean(svg: str) -> str:
    svg = _EMPTY_PATHS.sub("", svg)
    svg = _NOISE.sub("", svg)
    svg = _GEOMETRY.sub(_short_numbers, svg)
    return _CIRCLE_RUN.sub(_merge_circles, svg)


def draw(spec: dict, language: str | None = None) -> str:
    """The spec drawn as SVG with the language's number and date formats (cached)."""
    language = language or current_language()
    key = _spec_key(spec, language)
    with _lock:
        if key in _drawings:
            _drawings.move_to_end(key)
            _stats["reused"] += 1
            return _drawings[key]
    svg = _clean(
        vl_convert.vegalite_to_svg(
            spec,
            vl_version=VEGA_LITE_VERSION,
            format_locale=chart_number_locale(language),
            time_format_locale=TIME_LOCALES[language],
        )
    )
    with _lock:
        _drawings[key] = svg
        _stats["drawn"] += 1
        while len(_drawings) > _cache_size():
            _drawings.popitem(last=False)
    return svg


def clear_cache() -> None:
    """Forget every drawing (benchmarks measure the cold cache with it)."""
    with _lock:
        _drawings.clear()


def cache_stats() -> dict:
    """How many drawings were made and how many were served from the cache."""
    with _lock:
        return {**_stats, "size": len(_drawings)}


def _words_position(frame, marker: Marker, x: float, y: float) -> tuple[float, float, str]:
    """Where the client's words go: above the plot beside a rule (histogram), on the row above
    the bar (gauge), or above and beside the diamond (scatter); toward the roomier side."""
    right_half = x > frame.padding["left"] + frame.width * 0.6
    anchor = marker.anchor or ("end" if right_half else "start")
    if marker.rule:
        text_y = frame.padding["top"] - 8
    elif marker.y is None:
        text_y = frame.padding["top"] - 10
    else:
        text_y = y - 12
    dx = {"start": 12, "end": -12}.get(anchor, 0)
    return x + dx, text_y, anchor


def _marker_svg(chart: Chart, marker: Marker) -> str:
    """The client's diamond, an optional dashed rule and its words, in drawing units."""
    frame = chart.frame
    x, y = frame.x(marker.x), frame.y(marker.y)
    top, bottom = frame.padding["top"], frame.padding["top"] + frame.height
    parts = []
    if marker.rule:
        parts.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{bottom}" stroke="{RED}" '
            'stroke-width="3" stroke-dasharray="4 2"/>'
        )
    if marker.y is None and not marker.rule:  # the gauge: the diamond sits on the bar's middle
        y = top + frame.height / 2
    size = 9
    parts.append(
        f'<path d="M{x:.1f},{y - size:.1f}L{x + size:.1f},{y:.1f}L{x:.1f},{y + size:.1f}'
        f'L{x - size:.1f},{y:.1f}Z" fill="{RED}" stroke="#fff" stroke-width="1.5"/>'
    )
    text_x, text_y, anchor = _words_position(frame, marker, x, y)
    parts.append(
        f'<text x="{text_x:.1f}" y="{text_y:.1f}" text-anchor="{anchor}" font-family="sans-serif" '
        f'font-size="{FONT_PX + 1}" font-weight="bold" fill="{RED}" stroke="#fff" '
        f'stroke-width="4" paint-order="stroke">{escape(marker.label)}</text>'
    )
    return f'<g class="chart__marker">{"".join(parts)}</g>'


def inline(chart: Chart) -> Markup:
    """The chart's cached drawing as inline SVG: accessible name, description, client marker."""
    svg = draw(chart.spec)
    width, height = (float(v) for v in _VIEWBOX.search(svg).groups())
    prefix = f"{chart.id}-svg"
    # A page has several drawings: Vega's own ids (clip paths) are made unique per chart.
    svg = _IDS.sub(rf'id="{prefix}-\1"', svg).replace("url(#", f"url(#{prefix}-")
    root = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart__svg" '
        f'viewBox="0 0 {width:g} {height:g}" '
        f'width="{width / FONT_PX:.2f}em" height="{height / FONT_PX:.2f}em" role="img" '
        f'aria-labelledby="{prefix}-title" aria-describedby="{prefix}-desc">'
        f'<title id="{prefix}-title">{escape(chart.title)}</title>'
        f'<desc id="{prefix}-desc">{escape(chart.summary)}</desc>'
    )
    svg = _ROOT.sub(lambda _: root, svg, count=1)
    if chart.marker is not None and chart.frame is not None:
        svg = svg.replace("</svg>", _marker_svg(chart, chart.marker) + "</svg>")
    return Markup(svg)
