"""The dashboard in real Chromium: keyboard-only journey, rendered charts, axe-core, reflow."""

import json

import pytest

from tests.playwright_fixtures import (
    axe_violations,
    keyboard_open_client,
    press_text,
    served,
    settle,
    sign_in,
    tab_to,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def live_server(make_app):
    """The dashboard on a free port of 127.0.0.1; yields its base URL."""
    with served(make_app()) as base_url:
        yield base_url


def test_keyboard_only_journey(page, live_server, demo_ids):
    client_id = demo_ids["refused"]
    page.goto(f"{live_server}/auth/sign-in")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
    keyboard_open_client(page, live_server, client_id)
    tab_to(page, "a[href$='/what-if']")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server}/clients/{client_id}/what-if")
    tab_to(page, "#EXT_SOURCE_2")
    page.keyboard.press("Control+A")
    press_text(page, "0.95")
    page.keyboard.press("Enter")
    page.wait_for_selector("#result-heading")
    assert page.locator("#result-heading").inner_text() == "Result of the changes"
    focus_ring = page.evaluate(
        "() => { const a = document.querySelector('a[href$=\"/what-would-change\"], main a');"
        " a.focus(); return getComputedStyle(a).outlineStyle; }"
    )
    assert focus_ring == "solid"


def test_charts_render_as_svg(page, live_server, demo_ids):
    sign_in(page, live_server)
    page.goto(f"{live_server}/clients/{demo_ids['accepted']}")
    for chart_id in ("gauge", "distribution", "scatter"):
        drawing = page.locator(f"#{chart_id} svg")
        assert drawing.count() == 1
        assert drawing.get_attribute("role") == "img"
        # The accessible name is the chart's heading, its description the summary beside it.
        title_id = drawing.get_attribute("aria-labelledby")
        # text_content, not inner_text: a chart out of view is not rendered yet
        # (content-visibility: auto), and inner_text reads only rendered text.
        assert page.locator(f"[id='{title_id}']").text_content() == (
            page.locator(f"#{chart_id}-heading").text_content()
        )
        assert drawing.locator(".mark-symbol path, .mark-rect path").count() > 0
        assert drawing.bounding_box()["height"] > 100
    page.goto(f"{live_server}/model")
    assert page.locator("#calibration svg .mark-line path").count() > 0


def _pages(base: str, ids: dict) -> list[str]:
    refused, accepted = ids["refused"], ids["accepted"]
    return [
        f"{base}/",
        f"{base}/clients/find?client_id=abc",
        f"{base}/clients/{accepted}",
        f"{base}/clients/{refused}?age_band=40-49&variable=EXT_SOURCE_2",
        f"{base}/clients/{refused}/what-if",
        f"{base}/clients/{refused}/what-would-change",
        f"{base}/applications/new",
        f"{base}/model",
        f"{base}/clients/1",
    ]


def test_axe_finds_nothing_at_100_and_200_percent_text(browser, live_server, demo_ids):
    # bypass_csp only lets the test inject axe-core; the pages run under the real policy.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    found = {}
    for zoom in ("100%", "200%"):
        page.goto(f"{live_server}/auth/sign-in")
        page.evaluate("z => document.documentElement.style.fontSize = z", zoom)
        found[f"sign-in@{zoom}"] = axe_violations(page)
    sign_in(page, live_server)
    for url in _pages(live_server, demo_ids):
        page.goto(url)
        settle(page)
        for zoom in ("100%", "200%"):
            page.evaluate("z => document.documentElement.style.fontSize = z", zoom)
            found[f"{url}@{zoom}"] = axe_violations(page)
    context.close()
    assert {k: v for k, v in found.items() if v} == {}, json.dumps(found, indent=1)[:3000]


def test_reflow_at_320_css_pixels(browser, live_server, demo_ids):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(f"{live_server}/auth/sign-in")
    overflowing = {}
    urls = [f"{live_server}/auth/sign-in"]
    sign_in(page, live_server)
    for url in urls + _pages(live_server, demo_ids):
        page.goto(url)
        settle(page)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            overflowing[url] = width
    context.close()
    assert overflowing == {}
