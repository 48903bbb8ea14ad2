"""The Content-Security-Policy, checked in real Chromium: server-drawn charts and Evidently work."""

import pandas as pd
import pytest

from tests.playwright_fixtures import served

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# A chart as the pages inline it (templates/_macros.html): SVG drawn by the server, no script.
CHART_PAGE = """<!doctype html><html lang="en"><head><title>CSP check</title>
<link rel="stylesheet" href="/static/css/app.css"></head><body>
<div class="chart__figure" id="chart">{svg}</div></body></html>"""

RECORD_VIOLATIONS = """window.cspViolations = [];
document.addEventListener("securitypolicyviolation",
  (event) => window.cspViolations.push(event.violatedDirective));"""


def chart_svg(app) -> str:
    """The gauge of the client page, drawn by the server as the pages draw it."""
    from app.services import charts

    with app.test_request_context():
        return str(charts.gauge_chart(0.234, 0.1).svg)


def evidently_report_html() -> str:
    from evidently import Report
    from evidently.presets import DataDriftPreset

    reference = pd.DataFrame({"AMT_INCOME_TOTAL": [float(i % 50) for i in range(200)]})
    current = reference + 25.0
    return Report([DataDriftPreset()]).run(current, reference).get_html_str(as_iframe=False)


@pytest.fixture(scope="module")
def served_app(make_app):
    app = make_app(MODEL_URI="/nonexistent/model", CSP_SANDBOXED_ENDPOINTS=("report_probe",))
    chart_page = CHART_PAGE.format(svg=chart_svg(app))
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


def test_server_drawn_charts_show_under_the_strict_csp(served_app, page):
    response = page.goto(f"{served_app}/chart-probe")
    policy = response.headers["content-security-policy"]
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    box = page.locator("#chart svg").bounding_box()
    assert box["width"] > 300 and box["height"] > 100
    assert page.locator("#chart svg text", has_text="This client 23.4%").count() == 1
    assert page.evaluate("getComputedStyle(document.querySelector('#chart svg')).display") == (
        "block"  # app.css applied: the stylesheet is allowed
    )
    assert page.evaluate("window.cspViolations") == []


def test_evidently_report_runs_in_its_sandbox(served_app, page):
    page.goto(f"{served_app}/report-probe")
    page.wait_for_function("document.body.innerText.includes('Drifted Columns')")
    assert page.evaluate("window.cspViolations") == []
    # The sandbox gives the report an opaque origin: no access to the app's cookies.
    assert page.evaluate("window.origin") == "null"
