"""One headless Chromium for the whole session (registered in tests/conftest.py), and the
helpers every browser test shares: serve an app, sign in, type by keyboard, run axe-core, wait
for the page.

Playwright's sync API allows one running instance per thread, so every browser test — dashboard,
monitoring, security — shares this fixture instead of starting its own.
"""

import contextlib
import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.helpers import ADVISOR, PASSWORD

CHROMIUM = "/usr/bin/chromium"
AXE = Path(__file__).parents[1] / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def _missing(reason: str) -> None:
    # On a laptop a missing browser skips; in CI it fails, so the browser tests can never
    # silently stop running there.
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI must run the browser tests)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        _missing(f"Chromium not found at {CHROMIUM} (run .ci/install-system-deps)")
    if not AXE.exists():
        _missing(f"{AXE} missing: run `npm ci` (package.json lists axe-core)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@contextlib.contextmanager
def served(app):
    """Serve a Flask app on a free port of 127.0.0.1 in a thread; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def axe_page(browser):
    """A page axe-core can be injected into: bypass_csp only lets the test add its script tag;
    the pages themselves run under the app's real policy."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


def sign_in(page, base_url: str) -> None:
    """Sign in as the demo advisor through the real form."""
    page.goto(f"{base_url}/auth/sign-in")
    page.fill("#username", ADVISOR)
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")  # the header has the language switcher too
    page.wait_for_url(f"{base_url}/")


def keyboard_open_client(page, base_url: str, client_id: int) -> None:
    """Keyboard only, from the sign-in page: sign in as the demo advisor, find the client."""
    tab_to(page, "#username")
    press_text(page, ADVISOR)
    tab_to(page, "#password")
    press_text(page, PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base_url}/")
    tab_to(page, "#client_id")
    press_text(page, str(client_id))
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base_url}/clients/{client_id}")


def press_text(page, text: str) -> None:
    """Type by pressing one key per character (keyboard only, as a person would)."""
    for character in text:
        page.keyboard.press(character)


def tab_to(page, selector: str, limit: int = 60, key: str = "Tab") -> None:
    """Press Tab (or `key`: "Shift+Tab" goes back) until the element matching `selector` has
    focus."""
    for _ in range(limit):
        page.keyboard.press(key)
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} never received focus after {limit} {key} presses")


def axe_violations(page) -> list:
    """Inject axe-core and run the WCAG 2.1 AA rules (+ best practices); the violations found."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    assert len(result["passes"]) >= 10  # axe really ran its rules on this page
    return [
        {"id": v["id"], "nodes": [n["target"] for n in v["nodes"]][:3]}
        for v in result["violations"]
    ]


def settle(page) -> None:
    """Wait until the page has loaded: charts are SVG in the HTML, nothing to wait for after."""
    page.wait_for_load_state("load")
