"""Sign-in and sign-out pages for advisors.

A session cookie names the advisor by id and session token (app/models.py User): a cookie
whose token is no longer the advisor's, or whose advisor is disabled, signs nobody in.
"""

import hmac
from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import refresh
from flask_login import current_user, login_user, logout_user

from app.auth.accounts import authenticate
from app.auth.forms import LanguageForm, SignInForm
from app.extensions import db, login_manager
from app.i18n import SESSION_KEY
from app.models import User

bp = Blueprint("auth", __name__, url_prefix="/auth")


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """Flask-Login's session loader: the advisor if the cookie's token is still theirs."""
    advisor_id, _, token = user_id.partition(":")
    if not advisor_id.isdigit() or not token:
        return None
    user = db.session.get(User, int(advisor_id))
    if user is None or not user.is_active:
        return None
    return user if hmac.compare_digest(user.session_token, token) else None


def _safe_next(target: str | None, fallback: str = "pages.home") -> str:
    """Only same-site relative paths, so the sign-in page cannot redirect off-site."""
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and "\\" not in target:
            return target
    return url_for(fallback)


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("pages.home"))
    form = SignInForm()
    status = 200
    if form.validate_on_submit():
        user = authenticate(form.username.data, form.password.data)
        if user is not None:
            session.permanent = True  # expires after SESSION_IDLE_MINUTES without a request
            login_user(user)
            flash(_("Signed in as %(name)s.", name=user.username), "success")
            return redirect(_safe_next(request.args.get("next")))
        form.password.errors.append(_("The username or password is not correct."))
        status = 401
    elif request.method == "POST":
        status = 400
    return render_template("auth/sign_in.html", form=form), status


@bp.route("/sign-out", methods=["POST"])
def sign_out():
    if current_user.is_authenticated:
        current_user.end_sessions()  # every copy of the cookie, on every device
        db.session.commit()
    logout_user()
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.sign_in"))


@bp.post("/language")
def set_language():
    """The language switcher: kept on the advisor's account (or in the session before sign-in),
    then back to the page it was pressed on."""
    form = LanguageForm()
    if not form.validate_on_submit():
        abort(400, description=_("Choose English or French."))
    session[SESSION_KEY] = form.language.data
    if current_user.is_authenticated:
        current_user.language = form.language.data
        db.session.commit()
    refresh()
    fallback = "pages.home" if current_user.is_authenticated else "auth.sign_in"
    return redirect(_safe_next(form.next.data, fallback))
