"""Sign-in form (Flask-WTF: CSRF token included)."""

from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import InputRequired, Length


class SignInForm(FlaskForm):
    username = StringField(
        "Username", validators=[InputRequired("Enter your username."), Length(max=80)]
    )
    password = PasswordField("Password", validators=[InputRequired("Enter your password.")])
