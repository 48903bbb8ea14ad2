"""French and English pages: the catalog is complete, every page reads in French, the API not.

Two checks that no English is left on a French page:
- the catalog: every message id that `pybabel extract` finds in app/ and templates/ has a
  French translation (not fuzzy, same placeholders), and every word the pages take from
  training/ or the data is listed for translation (app/pages/vocabulary.py);
- the pages: each page of the tour is rendered in English and in French, and any text a person
  reads (text, titles, labels, options, chart words) that is the same in both languages is an
  error, unless it is marked as another language (`lang`), as not to be translated
  (`translate="no"`, `<code>`), or is a word French and English share (SAME_IN_BOTH).
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from app.pages import vocabulary
from tests.helpers import ADVISOR, PASSWORD
from tests.pages.page_tour import (
    ANONYMOUS_TOUR,
    signed_in_tour,
    store_drift_runs,
    store_oversight,
    visit,
)

ROOT = Path(__file__).parents[2]
CATALOG = ROOT / "translations" / "fr" / "LC_MESSAGES" / "messages.po"
# The same keywords as `make messages` (Makefile): Babel's defaults (_, gettext, ngettext, N_ ...)
# plus lazy_gettext / _l, the plural marker Nn_ and app.i18n.plural.
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "N_": None,
    "_l": None,
    "lazy_gettext": None,
    "Nn_": (1, 2),
    "plural": (1, 2),
}
METHODS = [("**.py", "python"), ("**.html", "jinja2")]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
# Words a French page legitimately shares with the English one.
SAME_IN_BOTH = {
    "API", "AUC", "UTC", "ROC", "Evidently", "Client", "Clients", "Variable", "Variables",
    "Population", "Version", "log-odds", "SK_ID_CURR", "Prêt", "à", "dépenser", "Brier",
}  # fmt: skip


def extracted_messages() -> dict:
    """msgid (or (singular, plural)) -> where it is used, as `make messages` extracts them."""
    found = {}
    for folder in ("app", "templates"):
        for filename, lineno, message, _, _ in extract_from_dir(
            ROOT / folder, METHODS, keywords=KEYWORDS
        ):
            key = message if isinstance(message, str) else tuple(message[:2])
            found.setdefault(key, f"{folder}/{filename}:{lineno}")
    return found


@pytest.fixture(scope="module")
def french_catalog():
    with CATALOG.open("rb") as f:
        return read_po(f)


def test_every_message_id_has_a_french_translation(french_catalog):
    problems = []
    for key, where in sorted(extracted_messages().items(), key=lambda item: str(item[0])):
        message = french_catalog.get(key[0] if isinstance(key, tuple) else key)
        if message is None:
            problems.append(f"{where}: not in the catalog (run `make messages`): {key!r}")
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            problems.append(f"{where}: no French translation: {key!r}")
            continue
        wanted = set(PLACEHOLDER.findall(key if isinstance(key, str) else key[1]))
        for text in strings:
            if set(PLACEHOLDER.findall(text)) - wanted or (
                wanted - set(PLACEHOLDER.findall(text)) - {"num"}
            ):
                problems.append(f"{where}: placeholders differ: {key!r} -> {text!r}")
    assert problems == [], "\n".join(problems)


def test_compiled_catalog_is_the_current_one(french_catalog):
    """The .mo Flask-Babel reads (built by `make translations`) says what the .po says."""
    compiled = ROOT / "translations" / "fr" / "LC_MESSAGES" / "messages.mo"
    assert compiled.exists(), "run `make translations`"
    with compiled.open("rb") as f:
        built = read_mo(f)

    def entries(catalog):
        return {
            tuple(m.id) if isinstance(m.id, list | tuple) else m.id: (
                tuple(m.string) if isinstance(m.string, list | tuple) else m.string
            )
            for m in catalog
            if m.id and not m.fuzzy
        }

    assert entries(built) == entries(french_catalog)


def test_words_from_training_and_the_data_are_listed_for_translation():
    from app.pages.forms import ApplicationForm
    from app.services.validation import RULES
    from training.domain import AGE_BANDS
    from training.features import GROUP_LABELS
    from training.schema import TABLES

    assert set(GROUP_LABELS.values()) <= set(vocabulary.GROUP_LABELS)
    assert {label for _, label, *_ in AGE_BANDS} <= set(vocabulary.AGE_BANDS)
    for column, listed in vocabulary.CATEGORY_LEVELS.items():
        assert set(TABLES["application_test"][column][1]) <= set(listed), column
    form_rules = {
        rule.form_text or f"{rule.text[0].upper()}{rule.text[1:]}."
        for column, rule in RULES.items()
        # category rules (now in RULES too) have no text: a form offers their levels as choices
        if rule is not None and rule.kind != "category" and column in ApplicationForm.COLUMNS
    }
    assert form_rules <= set(vocabulary.FORM_RULES)


class _ReadableText(HTMLParser):
    """The text a person reads, with whether it is exempt (another language, code, no-translate)."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
            "track", "wbr", "path", "line", "rect", "circle", "stop"}  # fmt: skip
    READ_ATTRIBUTES = ("title", "aria-label", "alt", "placeholder")

    def __init__(self, language: str):
        super().__init__(convert_charrefs=True)
        self.language = language
        self.stack: list[bool] = []  # exempt flags of the open elements
        self.skip_depth = 0
        self.segments: list[tuple[str, bool]] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        exempt = bool(self.stack and self.stack[-1])
        exempt = exempt or tag == "code" or attributes.get("translate") == "no"
        if "lang" in attributes:
            exempt = attributes["lang"] != self.language
        for name in self.READ_ATTRIBUTES:
            if attributes.get(name):
                self.segments.append((attributes[name], exempt))
        if tag in ("script", "style"):
            self.skip_depth += 1
        if tag not in self.VOID:
            self.stack.append(exempt)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip_depth -= 1
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        text = " ".join(data.split())
        if text and not self.skip_depth:
            self.segments.append((text, bool(self.stack and self.stack[-1])))


def readable_segments(page: str, language: str) -> list[tuple[str, bool]]:
    parser = _ReadableText(language)
    parser.feed(page)
    return parser.segments


def _words(text: str) -> list[str]:
    return [w for w in re.findall(r"[^\W\d_][\w'’-]*", text) if len(w) > 1]


def english_left(english_page: str, french_page: str) -> list[str]:
    """Text of the French page that is also, word for word, on the English page."""
    english = {text for text, _ in readable_segments(english_page, "en")}
    left = []
    for text, exempt in readable_segments(french_page, "fr"):
        if exempt or text not in english:
            continue
        words = [w for w in _words(text) if w not in SAME_IN_BOTH and not w.isupper()]
        if words:
            left.append(text)
    return left


@pytest.fixture
def tour_app(app):
    store_drift_runs(app)
    return app


@pytest.fixture
def tour_ids(tour_app, demo_ids, demo_data_dir, tmp_path):
    """The stored clients, and the decisions, letters and performance runs of the oversight."""
    return {**demo_ids, **store_oversight(tour_app, demo_data_dir, tmp_path)}


def _signed_in(app):
    client = app.test_client()
    response = client.post("/auth/sign-in", data={"username": ADVISOR, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_every_page_reads_in_french(tour_app, tour_ids):
    found = {}
    signed_in = _signed_in(tour_app)
    stops = [(signed_in, stop) for stop in signed_in_tour(tour_ids)]
    stops += [(tour_app.test_client(), stop) for stop in ANONYMOUS_TOUR]
    for client, stop in stops:
        english = visit(client, stop, "en")
        french = visit(client, stop, "fr")
        assert english.status_code == french.status_code, stop
        english_page, french_page = english.get_data(as_text=True), french.get_data(as_text=True)
        assert '<html lang="en">' in english_page and '<html lang="fr">' in french_page, stop
        left = english_left(english_page, french_page)
        if left:
            found[stop[0]] = left
    assert found == {}


def test_the_check_finds_english_left_on_a_french_page():
    english = '<html lang="en"><p>Main reasons</p><p>Variable</p><p lang="en">Evidently test</p>'
    french = '<html lang="fr"><p>Main reasons</p><p>Variable</p><p lang="en">Evidently test</p>'
    assert english_left(english, french) == ["Main reasons"]
    assert english_left(english, french.replace("<p>Main reasons", "<p>Raisons")) == []
    titled = '<abbr title="Area under the ROC curve">AUC</abbr>'
    assert english_left(titled, titled) == ["Area under the ROC curve"]


def test_numbers_are_written_the_french_way(advisor, demo_ids):
    page = advisor.get(
        f"/clients/{demo_ids['refused']}", headers={"Accept-Language": "fr"}
    ).get_data(as_text=True)
    assert re.search(r"<dd>\d+,\d\u00a0%</dd>", page)  # probability of default: 6,9 %
    assert re.search(r"\d\u202f\d{3}", page)  # amounts: 65 250
    assert re.search(r"points (sous|au-dessus du) seuil de refus|exactement au seuil", page)


def test_accept_language_chooses_the_page_language(anonymous):
    for header, language in [("fr-FR,fr;q=0.9,en;q=0.5", "fr"), ("en-GB", "en"), ("de", "en")]:
        page = anonymous.get("/auth/sign-in", headers={"Accept-Language": header})
        assert f'<html lang="{language}">' in page.get_data(as_text=True), header
    assert '<html lang="en">' in anonymous.get("/auth/sign-in").get_data(as_text=True)


def test_the_switcher_names_the_other_language_in_that_language(anonymous):
    english = anonymous.get("/auth/sign-in", headers={"Accept-Language": "en"}).get_data(
        as_text=True
    )
    assert re.search(
        r'<button type="submit" name="language" value="fr" lang="fr"[^>]*>Français<', english
    )
    assert '<span lang="fr">Prêt à dépenser</span>' in english
    french = anonymous.get("/auth/sign-in", headers={"Accept-Language": "fr"}).get_data(
        as_text=True
    )
    assert re.search(
        r'<button type="submit" name="language" value="en" lang="en"[^>]*>English<', french
    )


def test_switching_before_sign_in_is_kept_in_the_session(anonymous):
    response = anonymous.post("/auth/language", data={"language": "fr", "next": "/auth/sign-in"})
    assert response.status_code == 302 and response.headers["Location"] == "/auth/sign-in"
    page = anonymous.get("/auth/sign-in", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="fr">' in page and "<h1>Se connecter</h1>" in page


def test_the_advisors_setting_is_stored_and_beats_the_browser(app, advisor):
    from app.extensions import db
    from app.models import User

    response = advisor.post("/auth/language", data={"language": "fr", "next": "/model?x=1"})
    assert response.headers["Location"] == "/model?x=1"
    with app.app_context():
        assert db.session.query(User).filter_by(username=ADVISOR).one().language == "fr"
    fresh = _signed_in(app)  # another browser, asking for English
    page = fresh.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="fr">' in page and "<h1>Trouver un client</h1>" in page


@pytest.mark.parametrize(
    ("data", "status"),
    [({"language": "de", "next": "/"}, 400), ({"language": "fr", "next": "//evil.example/x"}, 302)],
)
def test_the_switcher_refuses_unknown_languages_and_foreign_redirects(anonymous, data, status):
    response = anonymous.post("/auth/language", data=data)
    assert response.status_code == status
    if status == 302:
        assert response.headers["Location"] == "/auth/sign-in"


def test_the_switcher_needs_its_csrf_token(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    assert client.post("/auth/language", data={"language": "fr"}).status_code == 400
    page = client.get("/auth/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post("/auth/language", data={"language": "fr", "csrf_token": token})
    assert response.status_code == 302


def test_sign_in_prompt_and_flash_messages_follow_the_language(anonymous):
    response = anonymous.get("/", headers={"Accept-Language": "fr"}, follow_redirects=True)
    assert "Connectez-vous pour voir cette page." in response.get_data(as_text=True)
    response = anonymous.post(
        "/auth/sign-in",
        data={"username": ADVISOR, "password": PASSWORD},
        headers={"Accept-Language": "fr"},
        follow_redirects=True,
    )
    assert f"Connecté en tant que {ADVISOR}." in response.get_data(as_text=True)


def test_the_api_stays_english_whatever_the_browser_says(app, demo_ids):
    from app.auth.api_keys import create_key

    with app.app_context():
        key = create_key("i18n")
    client = app.test_client()
    body = {"client_ids": [demo_ids["accepted"], demo_ids["refused"]]}
    answers = [
        client.post(
            "/api/predict", json=body, headers={"X-API-Key": key, "Accept-Language": language}
        ).get_json()
        for language in ("en", "fr")
    ]

    def reasons(answer):
        return [(r["label"], r["client_value"], r["text"]) for p in answer["predictions"]
                for r in p["reasons"]]  # fmt: skip

    assert reasons(answers[0]) == reasons(answers[1]) != []
    texts = " ".join(text for _, _, text in reasons(answers[1]))
    assert "ans" not in texts.split() and "par an" not in texts
