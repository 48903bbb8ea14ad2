"""The Content-Security-Policy, checked in real Chromium: vendored Vega and Evidently still work."""

import json

import altair as alt
import pandas as pd
import pytest

from tests.playwright_fixtures import served

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# The same markup the pages use (templates/_macros.html + static/js/charts.js).
CHART_PAGE = """<!doctype html><html lang="en"><head><title>CSP check</title></head><body>
<div id="chart" data-chart-spec="chart-spec"></div>
<script type="application/json" id="chart-spec">{spec}</script>
<script src="/static/vendor/vega.min.js"></script>
<script src="/static/vendor/vega-lite.min.js"></script>
<script src="/static/vendor/vega-embed.min.js"></script>
<script src="/static/js/charts.js"></script></body></html>"""

RECORD_VIOLATIONS = """window.cspViolations = [];
document.addEventListener("securitypolicyviolation",
  (event) => window.cspViolations.push(event.violatedDirective));"""


def interactive_chart_spec() -> str:
    """An Altair chart that uses expressions: a calculate, a filter, a legend selection."""
    frame = pd.DataFrame({"age": range(20, 40), "income": range(1000, 3000, 100)})
    frame["band"] = ["young" if age < 30 else "older" for age in frame["age"]]
    band = alt.selection_point(fields=["band"], bind="legend")
    chart = (
        alt.Chart(frame)
        .mark_point()
        .encode(
            x="age",
            y="income_k:Q",
            color="band",
            tooltip=["age", "income"],
            opacity=alt.condition(band, alt.value(1.0), alt.value(0.2)),
        )
        .transform_calculate(income_k="datum.income / 1000")
        .transform_filter("datum.age >= 20")
        .add_params(band)
    )
    return json.dumps(chart.to_dict()).replace("</", "<\\/")


def evidently_report_html() -> str:
    from evidently import Report
    from evidently.presets import DataDriftPreset

    reference = pd.DataFrame({"AMT_INCOME_TOTAL": [float(i % 50) for i in range(200)]})
    current = reference + 25.0
    return Report([DataDriftPreset()]).run(current, reference).get_html_str(as_iframe=False)


@pytest.fixture(scope="module")
def served_app(make_app):
    app = make_app(MODEL_URI="/nonexistent/model", CSP_SANDBOXED_ENDPOINTS=("report_probe",))
    chart_page = CHART_PAGE.format(spec=interactive_chart_spec())
    report = evidently_report_html()
    app.add_url_rule("/chart-probe", "chart_probe", lambda: chart_page)
    app.add_url_rule("/report-probe", "report_probe", lambda: report)
    with served(app) as base_url:
        yield base_url


@pytest.fixture(scope="module")
def page(served_app, browser):
    context = browser.new_context()
    page = context.new_page()
    page.add_init_script(RECORD_VIOLATIONS)
    yield page
    context.close()


def test_vendored_vega_renders_and_stays_interactive_under_the_csp(served_app, page):
    page.goto(f"{served_app}/chart-probe")
    page.wait_for_selector("#chart[data-rendered], #chart[data-render-error]", state="attached")
    assert page.get_attribute("#chart", "data-render-error") is None
    assert page.get_attribute("#chart", "data-rendered") == "true"
    assert page.locator("#chart svg .mark-symbol.role-mark path").count() == 20
    page.locator("#chart svg .mark-symbol.role-mark path").nth(0).hover()
    page.wait_for_selector("#vg-tooltip-element.visible")
    assert "age" in page.inner_text("#vg-tooltip-element")
    assert page.evaluate("window.cspViolations") == []


def test_evidently_report_runs_in_its_sandbox(served_app, page):
    page.goto(f"{served_app}/report-probe")
    page.wait_for_function("document.body.innerText.includes('Drifted Columns')")
    assert page.evaluate("window.cspViolations") == []
    # The sandbox gives the report an opaque origin: no access to the app's cookies.
    assert page.evaluate("window.origin") == "null"
