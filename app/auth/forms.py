"""Sign-in and language forms (Flask-WTF: CSRF token included)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import AnyOf, InputRequired, Length

from app.i18n import LANGUAGES


class SignInForm(FlaskForm):
    username = StringField(
        _l("Username"), validators=[InputRequired(_l("Enter your username.")), Length(max=80)]
    )
    password = PasswordField(_l("Password"), validators=[InputRequired(_l("Enter your password."))])


class LanguageForm(FlaskForm):
    """The switcher in every page's header: the language, and the page to come back to."""

    language = HiddenField(validators=[AnyOf(list(LANGUAGES))])
    next = HiddenField()
