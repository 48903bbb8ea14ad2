"""French pages and server-drawn charts in real Chromium: axe in both languages, the switcher
without JavaScript, charts without JavaScript, chart text that grows with the page's text."""

import json

import pytest

from tests.pages.page_tour import signed_in_tour, store_drift_runs, store_oversight
from tests.playwright_fixtures import axe_violations, served, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]
CHART_PAGES = {
    "client": ("/clients/{accepted}", ("gauge", "distribution", "scatter")),
    "model": ("/model", ("importance", "cost-curve", "calibration")),
    "monitoring": ("/monitoring", ("drift-share-history", "mean-probability-history")),
    "performance": (
        "/monitoring/performance",
        ("performance-calibration", "performance-auc-by-month", "performance-default-by-month"),
    ),
}


@pytest.fixture(scope="module")
def tour_app(make_app):
    """The app with demo clients and two drift runs, so every page shows all it can."""
    app = make_app()
    store_drift_runs(app)
    return app


@pytest.fixture(scope="module")
def oversight_ids(tour_app, demo_data_dir, tmp_path_factory):
    """Real decisions, letters and performance runs in the tour's database (page_tour)."""
    return store_oversight(tour_app, demo_data_dir, tmp_path_factory.mktemp("outcomes"))


@pytest.fixture(scope="module")
def tour_server(tour_app, oversight_ids):
    with served(tour_app) as base_url:
        yield base_url


def _forget_language(app) -> None:
    """The advisor has no language setting again: the browser's Accept-Language decides."""
    from app.extensions import db
    from app.models import User

    with app.app_context():
        db.session.execute(db.update(User).values(language=None))
        db.session.commit()


def _context(browser, language: str, **options):
    return browser.new_context(viewport={"width": 1280, "height": 900}, locale=language, **options)


def test_charts_show_without_javascript(browser, tour_server, demo_ids):
    context = _context(browser, "en-GB", java_script_enabled=False)
    page = context.new_page()
    sign_in(page, tour_server)
    for path, chart_ids in CHART_PAGES.values():
        page.goto(tour_server + path.format(**demo_ids))
        for chart_id in chart_ids:
            box = page.locator(f"#{chart_id} svg").bounding_box()
            assert box is not None and box["width"] > 200 and box["height"] > 80, chart_id
    assert page.evaluate("document.scripts.length") == 0
    context.close()


def _label_heights(page) -> list[float]:
    """Rendered height of every axis label of the charts on the page, in CSS pixels."""
    return page.evaluate(
        "[...document.querySelectorAll('.chart__svg .role-axis-label text')]"
        ".map(t => t.getBoundingClientRect().height)"
    )


def test_chart_text_grows_with_the_page_text(browser, tour_server, demo_ids):
    context = _context(browser, "en-GB")
    page = context.new_page()
    sign_in(page, tour_server)
    page.goto(f"{tour_server}/clients/{demo_ids['accepted']}")
    body_text = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    normal = _label_heights(page)
    page.evaluate("document.documentElement.style.fontSize = '200%'")
    larger = _label_heights(page)
    assert len(normal) == len(larger) > 10
    # At 100% a chart's labels read at about the page's own text size ...
    assert max(normal) == pytest.approx(body_text * 1.15, rel=0.3)
    # ... and at 200% text they are larger (as large as the column lets the drawing grow).
    assert min(b / a for a, b in zip(normal, larger, strict=True)) > 1.5
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1280  # still no sideways scrolling of the page
    context.close()


def test_the_switcher_works_by_keyboard_and_without_javascript(browser, tour_server, tour_app):
    context = _context(browser, "en-GB", java_script_enabled=False)
    page = context.new_page()
    sign_in(page, tour_server)
    page.goto(f"{tour_server}/model")
    assert page.evaluate("document.documentElement.lang") == "en"
    button = page.locator("button[name=language][value=fr]")
    assert button.get_attribute("lang") == "fr" and button.inner_text() == "Français"
    button.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == f"{tour_server}/model"
    assert page.evaluate("document.documentElement.lang") == "fr"
    assert page.locator("h1").inner_text() == "Le modèle de score"
    with page.expect_navigation():
        page.locator("button[name=language][value=en]").click()
    assert page.locator("h1").inner_text() == "The scoring model"
    context.close()
    _forget_language(tour_app)  # the stored setting would beat the other tests' browsers


def _submit_stops(page, base: str, ids: dict):
    """Pages reached by sending a form (a what-if result, form errors); yields their names."""
    page.goto(f"{base}/clients/{ids['refused']}/what-if")
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector("#result-heading")
    yield "what-if-result"
    page.goto(f"{base}/applications/new")
    page.fill("#AMT_CREDIT", "lots")
    page.fill("#EXT_SOURCE_1", "2")
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector("#error-summary")
    yield "new-application-errors"
    page.goto(f"{base}/predictions/{ids['decided_prediction']}/decision")
    page.check("#decision-final_decision-1")  # accept a refusal: an override, with no reason
    page.locator("#decision-form button[type=submit]").click()
    page.wait_for_selector("#error-summary")
    yield "decide-errors"


@pytest.mark.parametrize("language", ["fr-FR", "en-GB"])
def test_axe_finds_nothing_in_either_language(
    browser, tour_server, demo_ids, oversight_ids, language
):
    ids = {**demo_ids, **oversight_ids}
    # bypass_csp only lets the test inject axe-core; the pages run under the real policy.
    context = _context(browser, language, bypass_csp=True)
    page = context.new_page()
    found = {}
    page.goto(f"{tour_server}/auth/sign-in")
    found["sign-in"] = axe_violations(page)
    sign_in(page, tour_server)
    stops = [s for s in signed_in_tour(ids) if s[1] == "GET"]

    def check(name):
        assert page.evaluate("document.documentElement.lang") == language[:2], name
        for zoom in ("100%", "200%"):
            page.evaluate("z => document.documentElement.style.fontSize = z", zoom)
            found[f"{name}@{zoom}"] = axe_violations(page)

    for name, _, path, _ in stops:
        page.goto(tour_server + path)
        check(name)
    for name in _submit_stops(page, tour_server, ids):
        check(name)
    context.close()
    assert {k: v for k, v in found.items() if v} == {}, json.dumps(found, indent=1)[:3000]
