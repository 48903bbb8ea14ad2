"""Languages of the pages: which one a request is in, and how a string is marked for translation.

The pages are in French or English; the JSON API stays English (a machine contract). The
language of a page is the advisor's own setting (`User.language`), else the choice made with the
switcher before signing in (kept in the session), else the browser's Accept-Language, else
`DEFAULT_LANGUAGE`. Catalogs live in translations/ (Babel), compiled by `make translations`.

How to mark a string (docs/architecture.md, "Translations"):

- Python, in a request: `gettext("...")` / `ngettext(...)` from flask_babel, with
  `%(name)s` placeholders filled by keyword arguments.
- Python, at import time (labels of forms, tables of words): `lazy_gettext("...")`.
- A plural known only later: `Nn_("%(num)s child", "%(num)s children")`, then
  `ngettext(*pair, n)`.
- Words that come from training/ or the data (group labels, category levels, age bands) are
  English msgids listed with `N_` in app/pages/vocabulary.py, and translated with `translated()`
  at render time.
- Templates: `{{ _("...") }}` or `{% trans %}...{% endtrans %}`.
"""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask, current_app, has_request_context, request, session
from flask_babel import get_locale, get_translations, gettext
from flask_login import current_user

log = logging.getLogger(__name__)
# Each language named in its own language: that is how the switcher shows it.
LANGUAGES = {"en": "English", "fr": "Français"}
SESSION_KEY = "language"


def N_(message: str) -> str:  # noqa: N802 (the gettext convention, as in _())
    """Marks an English message id for extraction without translating it now (pybabel -k N_)."""
    return message


def Nn_(singular: str, plural: str) -> tuple[str, str]:  # noqa: N802
    """Marks a singular/plural pair for extraction (pybabel -k Nn_:1,2); ngettext(*pair, n)."""
    return singular, plural


def plural(singular: str, plural_form: str, count: int, **values) -> str:
    """ngettext whose %(num)s is the caller's formatted count ("1 500"), not the raw number
    (Flask-Babel's ngettext always fills num itself)."""
    values.setdefault("num", count)
    return get_translations().ungettext(singular, plural_form, count) % values


def translated(message: str | None) -> str | None:
    """A message id known only at run time (a group label, a category level) in the page's
    language; text with no translation comes back as it is."""
    return gettext(message) if message else message


def select_language() -> str:
    """The language of this request (Flask-Babel's locale selector)."""
    default = current_app.config["DEFAULT_LANGUAGE"]
    if not has_request_context():
        return default
    if current_user.is_authenticated and current_user.language in LANGUAGES:
        return current_user.language
    chosen = session.get(SESSION_KEY)
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(list(LANGUAGES), default=default)


def current_language() -> str:
    """'en' or 'fr' (outside a request: English, the language of the API and the logs)."""
    locale = get_locale()
    return locale.language if locale is not None else "en"


def other_languages() -> list[tuple[str, str]]:
    """The languages the switcher offers: every one but the page's own."""
    language = current_language()
    return [(code, name) for code, name in LANGUAGES.items() if code != language]


def compiled_catalogs(app: Flask) -> list[Path]:
    """The compiled catalogs the app will read; a missing one means English pages only."""
    found = []
    for directory in app.extensions["babel"].translation_directories:
        found += sorted(Path(directory).glob("*/LC_MESSAGES/messages.mo"))
    return found


def init_i18n(app: Flask) -> None:
    """Template helpers for the layout; a loud warning when the catalogs were not compiled."""
    missing = [
        code
        for code in LANGUAGES
        if code != "en" and not any(p.parts[-3] == code for p in compiled_catalogs(app))
    ]
    if missing:
        log.warning(
            "No compiled catalog for %s: pages fall back to English. Run `make translations`.",
            ", ".join(missing),
        )

    @app.context_processor
    def language_context():
        return {"page_language": current_language(), "other_languages": other_languages()}
