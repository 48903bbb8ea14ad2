"""Human oversight in real Chromium: a keyboard-only override with a reason, the history, the
printed letter on one A4 page; axe-core at 100% and 200% text and reflow on the new pages."""

import json
import re

import pytest

from tests.helpers import ADVISOR
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
def oversight_live(tmp_path_factory, make_app, demo_data_dir):
    """A live app of its own (decisions are written) with the demo's decisions, outcomes and one
    performance run, as `make run` leaves them; yields (base URL, an accepted and a refused
    client that have no decision yet)."""
    import sqlalchemy as sa

    from app.extensions import db
    from app.models import Client, Decision
    from app.monitoring.performance_runs import run_performance
    from app.services import model_store, scoring
    from app.services.clients import require_clients
    from app.services.outcomes import load_outcomes
    from app.services.oversight_demo import fill_demo

    folder = tmp_path_factory.mktemp("oversight-live")
    app = make_app()
    with app.app_context():
        fill_demo(demo_data_dir, folder / "outcomes.csv")
        load_outcomes(folder / "outcomes.csv")
        run_performance(model_store.get_model())
        decided = sa.select(Decision.client_id).where(Decision.client_id.is_not(None))
        query = sa.select(Client.sk_id_curr).where(
            Client.is_training.is_(False), Client.sk_id_curr.not_in(decided)
        )
        ids = list(db.session.scalars(query.limit(200)))
        scores = scoring.score_applications(
            [scoring.Application.of(c) for c in require_clients(ids)]
        )
        db.session.remove()
    clients = {
        "accepted": next(s.client_id for s in scores if s.decision == "accepted"),
        "refused": next(s.client_id for s in scores if s.decision == "refused"),
    }
    with served(app) as base_url:
        yield base_url, clients


@pytest.fixture
def page(axe_page):
    """Every page of this module runs axe."""
    return axe_page


def _focused(page) -> str:
    return page.evaluate("document.activeElement.id || document.activeElement.textContent")


def test_keyboard_only_override_history_and_printed_letter(page, oversight_live):
    base, clients = oversight_live
    client_id = clients["refused"]
    page.goto(f"{base}/auth/sign-in")
    keyboard_open_client(page, base, client_id)

    # Override the model's refusal: the radio group, then the reason and a comment.
    tab_to(page, "#decision-final_decision-0", limit=120)
    page.keyboard.press("ArrowDown")  # moves to, and selects, "Accept (override the model)"
    assert _focused(page) == "decision-final_decision-1"
    assert page.is_checked("#decision-final_decision-1")
    tab_to(page, "#decision-reason")
    page.keyboard.press("ArrowDown")  # the first reason: Documents verified
    assert page.input_value("#decision-reason") == "documents_verified"
    tab_to(page, "#decision-comment")
    press_text(page, "Payslips checked")
    tab_to(page, "#decision-form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/clients/{client_id}#decisions")

    status = page.locator(".flashes [role=status]").inner_text()
    assert status == (
        "Decision recorded: accepted, overriding the model's refusal (Documents verified)."
    )
    row = page.locator("#decision-history tbody tr").first
    cells = row.locator("th, td").all_inner_texts()
    assert cells[1:] == [
        ADVISOR, cells[2], cells[3], "Refused", "Accepted", "Overridden",
        "Documents verified", "Payslips checked",
    ]  # fmt: skip
    assert re.fullmatch(r"\d+\.\d%", cells[3])

    tab_to(page, f"a[href='/clients/{client_id}/letter']", limit=150)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/clients/{client_id}/letter")
    assert page.locator("h1").inner_text() == "Your loan application has been accepted"
    # A function, so Playwright runs it (a bare expression ending in a function gets called).
    page.evaluate("() => { window.printed = 0; window.print = () => { window.printed += 1; }; }")
    tab_to(page, "#print-letter")
    page.keyboard.press("Enter")
    assert page.evaluate("window.printed") == 1

    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.locator(".letter-tools").is_visible()
    assert page.locator("article.letter").is_visible()
    pdf = page.pdf(format="A4")
    assert len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf)) == 1  # one A4 page


def test_refusal_letter_prints_on_one_a4_page(page, oversight_live):
    """The longest letter: a refusal with reasons and what would change it."""
    base, clients = oversight_live
    sign_in(page, base)
    page.goto(f"{base}/clients/{clients['refused']}")
    page.check("#decision-final_decision-0")
    page.click("#decision-form button[type=submit]")
    page.wait_for_url(f"{base}/clients/{clients['refused']}#decisions")
    page.goto(f"{base}/clients/{clients['refused']}/letter")
    assert page.locator("h1").inner_text() == "Your loan application has been refused"
    assert page.locator("text=What could change the decision").count() == 1
    pdf = page.pdf(format="A4")
    assert len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf)) == 1


def _new_pages(page, base: str, clients: dict) -> dict[str, callable]:
    """Each new page, reached the way an advisor reaches it (a form error needs a POST)."""

    def decision_form_with_errors():
        page.goto(f"{base}/clients/{clients['accepted']}")
        page.check("#decision-final_decision-0")  # refuse: an override of an acceptance
        page.click("#decision-form button[type=submit]")
        page.wait_for_selector("#error-summary")

    return {
        "client page with the decision form": lambda: page.goto(
            f"{base}/clients/{clients['refused']}"
        ),
        "decision page with errors": decision_form_with_errors,
        "letter": lambda: page.goto(f"{base}/clients/{clients['refused']}/letter"),
        "no letter yet": lambda: page.goto(f"{base}/clients/{clients['accepted']}/letter"),
        "performance page": lambda: page.goto(f"{base}/monitoring/performance"),
    }


def test_axe_finds_nothing_on_the_new_pages_at_100_and_200_percent(page, oversight_live):
    base, clients = oversight_live
    sign_in(page, base)
    page.goto(f"{base}/clients/{clients['refused']}")  # a decision, so the letter exists
    page.check("#decision-final_decision-0")
    page.click("#decision-form button[type=submit]")
    page.wait_for_url(f"{base}/clients/{clients['refused']}#decisions")
    found = {}
    for name, open_page in _new_pages(page, base, clients).items():
        open_page()
        settle(page)
        for zoom in ("100%", "200%"):
            page.evaluate("z => document.documentElement.style.fontSize = z", zoom)
            found[f"{name}@{zoom}"] = axe_violations(page)
    assert {k: v for k, v in found.items() if v} == {}, json.dumps(found, indent=1)[:3000]


DEFAULT_RATE_TITLE = "Default rate by month: followed and overridden decisions"


def test_performance_page_renders_its_charts(page, oversight_live):
    base, _ = oversight_live
    sign_in(page, base)
    page.goto(f"{base}/monitoring/performance")
    settle(page)
    for chart_id, title in (
        ("performance-calibration", "Calibration on known outcomes"),
        ("performance-auc-by-month", "Realised AUC by month"),
        ("performance-default-by-month", DEFAULT_RATE_TITLE),
    ):
        # drawn on the server: the SVG is named by its <title>, described by its <desc>
        drawing = page.locator(f"#{chart_id} svg[role=img]")
        assert drawing.count() == 1
        named = page.locator(f"[id='{drawing.get_attribute('aria-labelledby')}']").text_content()
        assert named == title
        described = page.locator(f"[id='{drawing.get_attribute('aria-describedby')}']")
        assert described.text_content() == page.text_content(f"#{chart_id}-summary")
        assert drawing.locator(".mark-line path").count() >= 1
    assert page.locator("[data-render-error]").count() == 0
    assert re.match(r"On [\d,]+ decided applications", page.inner_text("#performance-headline"))


def test_new_pages_reflow_at_320_css_pixels(browser, oversight_live):
    base, clients = oversight_live
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    sign_in(page, base)
    overflowing = {}
    for name, open_page in _new_pages(page, base, clients).items():
        open_page()
        settle(page)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            overflowing[name] = width
    context.close()
    assert overflowing == {}
