"""The monitoring page in real Chromium: axe-core at 100% and 200% text, SVG charts, reflow,
and Evidently's report rendering with every request off this machine refused."""

import json

import pytest

from tests.monitoring.helpers import CALM, SHIFTED, store_run
from tests.playwright_fixtures import axe_violations, served, settle, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def monitoring_live(make_app, trained_model):
    """A live app with two older stored runs and one real run on the demo application_test."""
    app = make_app()
    store_run(app, CALM, days_ago=14)
    store_run(app, SHIFTED, days_ago=7)
    batch = trained_model.data_dir / "application_test.csv"
    result = app.test_cli_runner().invoke(args=["drift", "run", "--current", str(batch)])
    assert result.exit_code == 0, result.output
    with served(app) as base_url:
        yield base_url


@pytest.fixture
def page(axe_page):
    """Every page of this module runs axe."""
    return axe_page


def test_monitoring_page_passes_axe_and_renders_its_charts(page, monitoring_live):
    sign_in(page, monitoring_live)
    page.goto(f"{monitoring_live}/monitoring")
    settle(page)
    for chart_id in ("drift-share-history", "mean-probability-history"):
        drawing = page.locator(f"#{chart_id} svg[role=img]")
        assert drawing.count() == 1
        title = page.locator(f"[id='{drawing.get_attribute('aria-labelledby')}']").text_content()
        assert (
            title
            == {
                "drift-share-history": "Drift share over time",
                "mean-probability-history": "Mean predicted probability over time",
            }[chart_id]
        )
        assert drawing.locator(".mark-line path").count() >= 1
    found = {}
    for zoom in ("100%", "200%"):
        page.evaluate("z => document.documentElement.style.fontSize = z", zoom)
        found[zoom] = axe_violations(page)
    assert {k: v for k, v in found.items() if v} == {}, json.dumps(found, indent=1)[:3000]


def test_monitoring_page_reflows_at_320_css_pixels(browser, monitoring_live):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    sign_in(page, monitoring_live)
    page.goto(f"{monitoring_live}/monitoring")
    settle(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    context.close()
    assert width <= 320


def test_evidently_report_renders_with_no_request_off_this_machine(page, monitoring_live):
    sign_in(page, monitoring_live)
    outside = []

    def only_local(route):
        if route.request.url.startswith(monitoring_live):
            return route.continue_()
        outside.append(route.request.url)
        return route.abort()

    page.route("**/*", only_local)
    page.goto(f"{monitoring_live}/monitoring")
    page.click("text=Open Evidently's full report for this check")
    page.wait_for_selector("text=Dataset Drift")
    assert page.locator("text=Share of Drifted Columns").count() >= 1
    assert outside == []
