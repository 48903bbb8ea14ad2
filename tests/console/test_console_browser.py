"""The API console in Chromium: keyboard only, with and without JavaScript; axe at 100% and
200% text, in English and French."""

import json

import pytest

from tests.console.test_console import EXAMPLES
from tests.playwright_fixtures import axe_violations, press_text, served, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SEND = "form[data-console-form=predict] button[type=submit]"


@pytest.fixture
def console_url(app):
    with served(app) as base_url:
        yield f"{base_url}/api/console"


def shift_tab_to(page, selector: str) -> None:
    tab_to(page, selector, limit=20, key="Shift+Tab")


def answer_text(page) -> str:
    return page.locator("#answer-predict").inner_text()


def test_keyboard_only_with_javascript_answers_in_place(browser, console_url, api_key):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(console_url)
    tab_to(page, "#predict-example")
    page.keyboard.press("ArrowDown")  # stored client -> raw application, filled at once
    body = json.loads(page.input_value("#predict-body"))
    assert body == EXAMPLES["raw_application"]
    assert page.locator("[data-console-load]").first.is_hidden()  # no button needed with JS
    tab_to(page, "#predict-key")
    press_text(page, "not-the-key")
    tab_to(page, SEND)
    page.keyboard.press("Enter")
    status = page.locator("#status-predict")
    assert status.get_attribute("role") == "status"  # a polite live region, read out
    page.wait_for_function(
        "() => /401/.test(document.getElementById('status-predict').textContent)"
    )
    assert "X-API-Key header is not a valid key" in answer_text(page)
    shift_tab_to(page, "#predict-key")
    page.keyboard.press("Control+A")
    press_text(page, api_key)
    tab_to(page, SEND)
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => /200/.test(document.getElementById('status-predict').textContent)"
    )
    assert status.inner_text().startswith("Answer: 200 OK in")
    assert "probability_of_default" in answer_text(page) and '"reasons"' in answer_text(page)
    assert page.url == console_url  # answered in place, no navigation
    shift_tab_to(page, "#predict-example")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")  # -> the invalid application
    tab_to(page, SEND)  # the key is still in its field
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => /422/.test(document.getElementById('status-predict').textContent)"
    )
    assert '"field": "AMT_INCOME_TOTAL"' in answer_text(page)
    context.close()


def test_keyboard_only_without_javascript_by_full_page_submission(browser, console_url, api_key):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, java_script_enabled=False
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(console_url)
    tab_to(page, "#predict-example")
    page.keyboard.press("ArrowDown")
    tab_to(page, "#console-predict [data-console-load]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "example=raw_application" in page.url
    assert json.loads(page.input_value("#predict-body")) == EXAMPLES["raw_application"]
    tab_to(page, "#predict-key")
    press_text(page, api_key)
    tab_to(page, SEND)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/api/console#answer-predict")
    assert "200 OK" in answer_text(page) and "probability_of_default" in answer_text(page)
    assert page.locator("#status-predict").inner_text().startswith("Answer: 200 OK in")
    assert page.input_value("#predict-key") == ""  # the key is never written back
    assert page.locator("[data-console-copy]").first.is_hidden()  # copying needs the script
    shift_tab_to(page, "#predict-example")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    tab_to(page, "#console-predict [data-console-load]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    tab_to(page, "#predict-key")
    press_text(page, api_key)
    tab_to(page, SEND)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "422 Unprocessable Entity" in answer_text(page)
    assert '"field": "AMT_INCOME_TOTAL"' in answer_text(page)
    context.close()


@pytest.mark.parametrize("language", ["en-GB", "fr-FR"])
def test_axe_finds_nothing_at_100_and_200_percent_text(browser, console_url, api_key, language):
    # bypass_csp only lets the test inject axe-core; the page runs under the real policy.
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, bypass_csp=True, locale=language
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(f"{console_url}?operation=predict&example=raw_application")
    page.fill("#predict-key", api_key)
    page.click(SEND)
    page.wait_for_selector("#answer-predict pre")
    page.fill("#getClient-client_id", "abc")  # and an error summary in another operation
    page.click("form[data-console-form=getClient] button[type=submit]")
    page.wait_for_selector("#answer-getClient .error-summary")
    for summary in page.locator("details.console-snippets summary").all():
        summary.click()  # the snippets are checked open
    found = {}
    for zoom in ("100%", "200%"):
        page.evaluate("z => document.documentElement.style.fontSize = z", zoom)
        found[zoom] = axe_violations(page)
        wide = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        assert not wide, f"the page scrolls sideways at {zoom} text"
    context.close()
    assert found == {"100%": [], "200%": []}


def test_the_console_reflows_at_320_css_pixels(browser, console_url, api_key):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(f"{console_url}?operation=predict&example=raw_application")
    page.fill("#predict-key", api_key)
    page.click(SEND)
    page.wait_for_selector("#answer-predict pre")
    page.locator("#console-predict details summary").click()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    context.close()


def test_a_snippet_is_copied_by_keyboard(browser, console_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(console_url)
    tab_to(page, "#console-predict details summary")
    page.keyboard.press("Enter")  # open "The same call with curl or Python"
    copy = '#console-predict [data-console-snippets="predict/stored_client"] [data-console-copy]'
    tab_to(page, copy)  # the first: the curl command
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => /copied/.test(document.getElementById('status-predict').textContent)"
    )
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("curl -sS -X POST ") and '"X-API-Key: $API_KEY"' in copied
    assert '{"client_id": 100002}' in copied
    context.close()
